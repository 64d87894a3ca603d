"""Choosing a colleague by name: one form field, its widget, and the search
the widget asks as someone types.

Without JavaScript the field is a text box, "Colleague's name". The server
resolves what was typed against the members colleagues can choose
(``selectors.members_listed``, never the person choosing): one match is
chosen; several come back as a list of radio buttons (name, profession,
organisation) under a clear error; none is an error. An e-mail address typed
in the box is looked up as one, for those who know it.

A hidden member id (``<name>_id``: set by a link such as ``/give/?to=12``, by
the radio list, or by the script's autocomplete) chooses among the people the
typed name matches; it is checked by the same rules, so a tampered id
chooses nobody. With JavaScript, ``members/colleague_picker.js`` turns the
text box into a WAI-ARIA 1.2 combobox fed by ``colleague_search``.
"""

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.cache import cache
from django.forms.widgets import Script
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from equitime.core.forms import MAX_QUERY_LENGTH
from equitime.core.names import query_key
from equitime.members.models import Member
from equitime.members.selectors import COLLEAGUES_SHOWN, colleagues_named, members_listed

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def colleague_detail(member: Member) -> str:
    """What tells two colleagues of one name apart: profession and organisation."""
    profile = getattr(member, "profile", None)
    if profile is None:
        return ""
    organisation = profile.organisation.name if profile.organisation else ""
    return " · ".join(part for part in (profile.profession, organisation) if part)


class ColleaguePicker(forms.Widget):
    """A text box for the name and a hidden id; after an ambiguous name, the
    matches as radio buttons sharing the id's name."""

    template_name = "members/widgets/colleague_picker.html"

    class Media:
        js = [Script("members/colleague_picker.js", defer=True)]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.matches: list[Member] = []

    def value_from_datadict(self, data, files, name) -> dict[str, str]:
        return {"text": data.get(name, ""), "id": data.get(f"{name}_id", "")}

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and f"{name}_id" not in data

    def format_value(self, value: Any) -> dict[str, str]:
        if isinstance(value, dict):
            return {"text": str(value.get("text", "")), "id": str(value.get("id", ""))}
        if isinstance(value, Member):
            return {"text": value.display_name, "id": str(value.pk)}
        return {"text": "", "id": ""}

    def get_context(self, name, value, attrs) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        chosen = widget["value"]
        widget["text"] = chosen["text"]
        widget["chosen_id"] = chosen["id"]
        widget["matches"] = [
            {"id": str(m.pk), "name": m.display_name, "detail": colleague_detail(m)}
            for m in self.matches
        ]
        widget["search_url"] = reverse("colleague_search")
        widget["maxlength"] = MAX_QUERY_LENGTH
        return context


class ColleagueField(forms.Field):
    """A colleague chosen by name (or by id, checked); cleans to a ``Member``,
    or None when optional and left empty. The form sets ``chooser``, the
    member choosing, who can never choose themselves."""

    widget = ColleaguePicker
    default_error_messages = {
        "required": _("Enter your colleague's name."),
        "none": _(
            "No member is called “%(text)s”. Check the spelling, or find them on the members page."
        ),
        "no_email": _("No member has this e-mail address."),
        "choose": _("Choose your colleague from the list."),
        "self": _("Choose a colleague, not yourself."),
    }

    def __init__(self, *, self_message: "StrOrPromise | None" = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self_message:
            self.error_messages["self"] = self_message
        self.chooser: Member | None = None

    def to_python(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            value = {}
        return {
            "text": " ".join(str(value.get("text") or "").split())[:MAX_QUERY_LENGTH],
            "id": str(value.get("id") or "").strip(),
        }

    def validate(self, value: dict[str, str]) -> None:
        if self.required and not (value["text"] or value["id"]):
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def clean(self, value: Any) -> Member | None:
        value = self.to_python(value)
        self.validate(value)
        text, chosen_id = value["text"], value["id"]
        if not text and not chosen_id:
            return None
        if chosen_id:
            return self._by_id(chosen_id, text)
        if "@" in text:
            return self._by_email(text)
        return self._by_name(text)

    def _eligible(self):
        return members_listed()

    def _is_chooser(self, member: Member | None) -> bool:
        return member is not None and self.chooser is not None and member.pk == self.chooser.pk

    def _by_id(self, chosen_id: str, text: str) -> Member:
        member = None
        if chosen_id.isdigit() and len(chosen_id) < 19:
            member = self._eligible().filter(pk=int(chosen_id)).first()
        if self._is_chooser(member):
            raise forms.ValidationError(self.error_messages["self"], code="self")
        if member is None:
            # Removed, suspended, staff, or made up: choose again by name.
            if text and "@" not in text:
                return self._by_name(text)
            raise forms.ValidationError(self.error_messages["choose"], code="choose")
        if text and not self._named(member, text):
            # The name was changed after the id was set (a profile's link, an
            # earlier choice): the name is what the person sees, so it wins.
            return self._by_name(text)
        return member

    def _named(self, member: Member, text: str) -> bool:
        key = query_key(text)
        return (
            not key
            or member.search_name.startswith(key)
            or member.sort_name.startswith(key)
            or member.display_name.casefold() == text.casefold()
        )

    def _by_email(self, text: str) -> Member:
        member = self._eligible().filter(email__iexact=text.strip()).first()
        if member is None and self.chooser is not None and self.chooser.email == text.lower():
            member = self.chooser
        if self._is_chooser(member):
            raise forms.ValidationError(self.error_messages["self"], code="self")
        if member is None:
            raise forms.ValidationError(self.error_messages["no_email"], code="no_email")
        return member

    def _by_name(self, text: str) -> Member:
        found = colleagues_named(text=text, viewer=self.chooser, limit=COLLEAGUES_SHOWN + 1)
        if not found:
            if self.chooser is not None and self._named(self.chooser, text):
                raise forms.ValidationError(self.error_messages["self"], code="self")
            raise forms.ValidationError(
                self.error_messages["none"], code="none", params={"text": text}
            )
        if len(found) == 1:
            return found[0]
        exact = [m for m in found if m.search_name == query_key(text)]
        if len(exact) == 1:
            return exact[0]
        self.widget.matches = found[:COLLEAGUES_SHOWN]
        message: StrOrPromise
        if len(found) > COLLEAGUES_SHOWN:
            message = _(
                "More than %(count)s members are called “%(text)s”. Choose yours below, "
                "or type more of their name."
            )
            params: dict[str, Any] = {"count": COLLEAGUES_SHOWN, "text": text}
        else:
            message = ngettext(
                "%(count)s member is called “%(text)s”. Choose yours below.",
                "%(count)s members are called “%(text)s”. Choose yours below.",
                len(found),
            )
            params = {"count": len(found), "text": text}
        raise forms.ValidationError(message, code="several", params=params)


# --- The search behind the autocomplete -----------------------------------------


# The script asks once a pause in typing; a person types far fewer names than this.
SEARCHES_PER_WINDOW = 120
SEARCH_WINDOW = timedelta(minutes=1)


def _searched_too_often(member_pk: int) -> bool:
    window = int(SEARCH_WINDOW.total_seconds())
    key = f"colleague-search:{member_pk}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=window)
        count = 1
    return count > SEARCHES_PER_WINDOW


@never_cache
@require_GET
def colleague_search(request: HttpRequest) -> JsonResponse:
    """Up to ten members whose name starts with ``q``, for the picker: members
    only (a JSON 401 otherwise, which a script can read), never the asker."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": str(_("Sign in to find colleagues."))}, status=401)
    if _searched_too_often(request.user.pk):
        return JsonResponse(
            {"detail": str(_("Too many searches. Wait a minute and try again."))}, status=429
        )
    text = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    found = colleagues_named(text=text, viewer=request.user)
    if found:
        summary = ngettext(
            "%(count)s colleague found. Use the down arrow to choose.",
            "%(count)s colleagues found. Use the down arrow to choose.",
            len(found),
        ) % {"count": len(found)}
    else:
        summary = str(_("No colleague has a name that starts like this."))
    return JsonResponse(
        {
            "summary": summary,
            "results": [
                {"id": m.pk, "name": m.display_name, "detail": colleague_detail(m)} for m in found
            ],
        }
    )


def picker(form: forms.BaseForm, name: str) -> ColleagueField:
    """A form's colleague field by name, to tell it who is choosing."""
    field = form.fields[name]
    if not isinstance(field, ColleagueField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a colleague field.")
    return field


def colleague_from_link(request: HttpRequest) -> Member | None:
    """The colleague a link chose (``?to=<pk>``, from their profile), when the
    picker may choose them for the person asking; otherwise nobody."""
    pk = request.GET.get("to", "")
    if not pk.isdigit() or len(pk) > 18:
        return None
    member = members_listed().select_related("profile__organisation").filter(pk=int(pk)).first()
    if member is None or member.pk == request.user.pk:
        return None
    return member
