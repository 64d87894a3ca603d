"""The members directory: who is here, what they do, and what they can help with.

A plain GET form, so it works without JavaScript; with htmx the form asks for
the same URL and gets back only the results. The read lives here beside its
one page rather than in ``selectors.py``; move it there if another page needs it.
"""

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from equitime.core.forms import FilterForm, Select, choice_field, search_field
from equitime.core.http import query_without_page, wants_fragment
from equitime.core.pagecache import member_page
from equitime.core.paging import InvalidCursor, KeysetPage, keyset_page, page_number, page_summary
from equitime.members.models import Member, Organisation, Profile
from equitime.members.selectors import members_listed
from equitime.skills.models import Skill
from equitime.skills.selectors import taxonomy

PER_PAGE = 24
# By family name, titles aside (core.names), served by the index member_by_sort_name.
ORDER = (("sort_name", False), ("id", False))
MAX_WORDS = 10


class DirectoryFilterForm(FilterForm):
    q = search_field(help_text=gettext_lazy("A name, skill, profession, team or organisation."))
    organisation_kind = forms.ChoiceField(
        widget=Select,
        label=gettext_lazy("Organisation"),
        required=False,
        choices=[("", gettext_lazy("Any organisation")), *Organisation.Kind.choices],
    )
    category = forms.ChoiceField(label=gettext_lazy("Skills in"), required=False, widget=Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = taxonomy()
        self.taxonomy_version = known.version
        choice_field(self, "category").choices = [("", _("Any skill category")), *known.categories]


def _word_q(word: str) -> Q:
    """A member who has ``word`` somewhere colleagues search, whatever its case."""
    taxonomy_skill = Exists(
        Profile.skills.through.objects.filter(
            profile_id=OuterRef("profile__pk"), skill__name__icontains=word
        )
    )
    # skills_offered is a JSON list matched as text; SQLite keeps it ASCII-escaped.
    escaped = json.dumps(word)[1:-1]
    return (
        Q(display_name__icontains=word)
        | Q(profile__profession__icontains=word)
        | Q(profile__division__icontains=word)
        | Q(profile__organisation__name__icontains=word)
        | Q(profile__skills_offered__icontains=word)
        | Q(profile__skills_offered__icontains=escaped)
        | Q(taxonomy_skill)
    )


def member_directory_list(
    *, q: str = "", organisation_kind: str = "", category: str = ""
) -> QuerySet[Member]:
    """The members colleagues see (``members_listed``: not staff), by family
    name; every word of ``q`` must match somewhere in their name, skills,
    profession, team or organisation."""
    members = members_listed()
    for word in q.split()[:MAX_WORDS]:
        members = members.filter(_word_q(word))
    if organisation_kind:
        members = members.filter(profile__organisation__kind=organisation_kind)
    if category:
        members = members.filter(
            Exists(
                Profile.skills.through.objects.filter(
                    profile_id=OuterRef("profile__pk"), skill__category__slug=category
                )
            )
        )
    return (
        members.select_related("profile__organisation")
        .prefetch_related(Prefetch("profile__skills", queryset=Skill.objects.order_by("name")))
        .order_by(*(("-" if descending else "") + name for name, descending in ORDER))
    )


def skills_shown(profile) -> list[str]:
    """Taxonomy skills, then free-text ones that do not repeat them (any case),
    written as the taxonomy writes its names: with a capital first letter."""
    taxonomy = list(profile.skills.all())
    named = [skill.label for skill in taxonomy]
    seen = {name.casefold() for name in named} | {skill.name.casefold() for skill in taxonomy}
    for skill in profile.skills_offered or []:
        if not isinstance(skill, str):
            continue
        skill = " ".join(skill.split())
        if skill and skill.casefold() not in seen:
            seen.add(skill.casefold())
            named.append(capfirst(skill))
    return named


def _summary(page: KeysetPage) -> str:
    return page_summary(
        page,
        none_found=_("No members match."),
        more_than=_("More than %(count)s members found."),
        found=ngettext("%(count)s member found.", "%(count)s members found.", page.count),
    )


@member_page
@login_required
def member_directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    members = member_directory_list(**filters)
    number = page_number(request.GET.get("page"))
    try:
        page = keyset_page(
            members, order=ORDER, cursor=request.GET.get("cursor"), number=number, size=PER_PAGE
        )
    except InvalidCursor:  # a link mangled on its way here: start again
        page = keyset_page(members, order=ORDER, size=PER_PAGE)
    for person in page.items:
        person.skills_shown = skills_shown(person.profile)
    context = {
        "form": form,
        "page": page,
        "members": page.items,
        "summary": _summary(page),
        "links": page.links(query_without_page(request)),
    }
    fragment = wants_fragment(request)
    template = "members/_directory_results.html" if fragment else "members/directory.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
