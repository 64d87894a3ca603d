"""Erasure (and so a dormant account's closing) removes what sign-in keeps about a
member beyond their e-mail address: the single sign-on link with the identity
provider's claims, and the two-step authenticator's secret."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from equitime.privacy.services import member_erase

pytestmark = pytest.mark.django_db


def test_erasure_removes_the_sso_link_and_the_authenticator(member, other_member):
    for who in (member, other_member):
        SocialAccount.objects.create(
            user=who,
            provider="openid_connect",
            uid=f"uid-{who.pk}",
            extra_data={"name": who.display_name, "email": who.email},
        )
        Authenticator.objects.create(
            user=who, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )

    member_erase(member=member)

    assert not SocialAccount.objects.filter(user=member).exists()
    assert not Authenticator.objects.filter(user=member).exists()
    # Nobody else's.
    assert SocialAccount.objects.filter(user=other_member).count() == 1
    assert Authenticator.objects.filter(user=other_member).count() == 1
