"""The filter form on the browse page: a GET form, every field optional."""

from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.core.forms import FilterForm, Select, choice_field, search_field
from equitime.listings.models import Format, Listing
from equitime.members.models import Organisation
from equitime.skills.selectors import taxonomy


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    SHORTEST = "shortest"

    choices = [
        (RELEVANCE, _("Best match")),
        (NEWEST, _("Newest first")),
        (OLDEST, _("Oldest first")),
        (SHORTEST, _("Shortest estimate first")),
    ]


def _any(label):
    return [("", label)]


class ListingFilterForm(FilterForm):
    """Built from the cached taxonomy (categories, skills, areas): no query
    most of the time, however many listings there are."""

    q = search_field(
        help_text=_("Words from the title, description, skills or poster, e.g. “run charts”.")
    )
    kind = forms.ChoiceField(
        widget=Select,
        label=_("Offers or requests"),
        required=False,
        choices=[("", _("Offers and requests")), *Listing.Kind.choices],
    )
    category = forms.ChoiceField(label=_("Skill category"), required=False, widget=Select)
    skill = forms.ChoiceField(label=_("Skill"), required=False, widget=Select)
    area = forms.ChoiceField(label=_("Improvement area"), required=False, widget=Select)
    organisation_kind = forms.ChoiceField(
        widget=Select,
        label=_("Poster's organisation"),
        required=False,
        choices=[("", _("Any organisation")), *Organisation.Kind.choices],
    )
    format = forms.ChoiceField(
        widget=Select,
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Remote or in person")),
            (Format.REMOTE, _("Can be remote")),
            (Format.IN_PERSON, _("Can be in person")),
        ],
    )
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=50,
        help_text=_("e.g. Welsh"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=Sort.choices, widget=Select
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = taxonomy()
        self.taxonomy_version = known.version
        choice_field(self, "category").choices = _any(_("Any category")) + known.categories
        choice_field(self, "skill").choices = _any(_("Any skill")) + known.skills_by_category
        choice_field(self, "area").choices = _any(_("Any area")) + known.areas
