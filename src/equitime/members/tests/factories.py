"""Test data. Members are made the way real ones are: through ``member_join``."""

import factory

from equitime.members.models import Organisation
from equitime.members.services import member_join

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Trust {n}")
    kind = Organisation.Kind.NHS_TRUST
    country = "GB"


_sequence = iter(range(1, 10**9))


def make_member(**fields):
    """A joined member: profile, account and welcome gift included."""
    n = next(_sequence)
    fields.setdefault("email", f"member{n}@example.nhs.uk")
    fields.setdefault("display_name", f"Member {n}")
    fields.setdefault("password", PASSWORD)
    fields.setdefault("email_verified", True)
    return member_join(**fields)
