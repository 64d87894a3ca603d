"""The profile page asks for exactly the fields the profile service may change:
one list, so a new profile field cannot reach one and miss the other."""

from equitime.members.forms import ProfileForm
from equitime.members.services import PROFILE_FIELDS


def test_the_profile_page_edits_exactly_what_the_service_may_change_in_that_order():
    model_fields = [name for name in ProfileForm.base_fields if name != "display_name"]

    assert model_fields == list(PROFILE_FIELDS)
    # django-stubs declare _meta per instance of a generic form; Django sets it
    # on the class, which is where this reads it (without a database).
    assert ProfileForm._meta.fields is PROFILE_FIELDS  # type: ignore[misc]
