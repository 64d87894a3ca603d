"""The list pages' filter forms (browse, directory) share one search box and
one reading of their filters: a bad value ignores only its own field."""

import pytest

from equitime.core.forms import MAX_QUERY_LENGTH, FilterForm
from equitime.listings.filters import ListingFilterForm
from equitime.members.directory import DirectoryFilterForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form", [ListingFilterForm, DirectoryFilterForm])
def test_every_list_page_reads_its_filters_the_same_way(form):
    assert issubclass(form, FilterForm)
    bound = form({"q": "x" * (MAX_QUERY_LENGTH + 50), "organisation_kind": "no such kind"})

    # The search is cut to the box's length; the bad choice alone is dropped.
    assert bound.filters() == {"q": "x" * MAX_QUERY_LENGTH}
    assert 'maxlength="200"' in str(bound["q"])
    assert 'type="search"' in str(bound["q"])


@pytest.mark.parametrize("form", [ListingFilterForm, DirectoryFilterForm])
def test_empty_filters_are_no_filters(form):
    assert form({"q": "  ", "organisation_kind": ""}).filters() == {}


@pytest.mark.parametrize("form", [ListingFilterForm, DirectoryFilterForm])
def test_every_filter_is_a_select_or_a_text_box(form):
    # The list pages send a select on `change` and a text box on `input`, and
    # leave out a text box's change, which Enter fires beside the submit: a
    # filter of another kind (a checkbox, a date) would need its own trigger.
    for field in form().visible_fields():
        assert str(field).startswith(("<select", '<input type="text"', '<input type="search"')), (
            field.name
        )
