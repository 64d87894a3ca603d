import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from equitime.core import demo
from equitime.ledger.models import Transfer
from equitime.ledger.verify import verify_ledger
from equitime.members.models import Member, Organisation, Profile

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [spec.email for spec in demo.MEMBERS] + [demo.ADMIN_EMAIL]


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Member.objects.count(), Organisation.objects.count(), Transfer.objects.count()


def test_first_run_creates_the_whole_community():
    output = run_demo()

    assert Organisation.objects.count() == len(demo.ORGANISATIONS)
    assert set(Member.objects.values_list("email", flat=True)) == set(DEMO_EMAILS)
    assert Transfer.objects.filter(kind=Transfer.Kind.DONATION).count() == len(demo.DONATIONS)
    assert f"Organisations: {len(demo.ORGANISATIONS)} ({len(demo.ORGANISATIONS)} new)" in output
    assert f"Members: {len(DEMO_EMAILS)} ({len(DEMO_EMAILS)} new)" in output
    assert f"Donations: {len(demo.DONATIONS)} ({len(demo.DONATIONS)} new)" in output


def test_second_run_creates_nothing_and_moves_no_credits():
    run_demo()
    before = counts()
    balances = dict(Member.objects.values_list("email", "account__posted_credits"))

    output = run_demo()

    assert counts() == before
    assert dict(Member.objects.values_list("email", "account__posted_credits")) == balances
    assert output.count("(0 new)") == 3


def test_every_demo_member_has_exactly_the_welcome_gift(settings):
    settings.EQUITIME_WELCOME_GIFT_MINUTES = 120
    run_demo()
    run_demo()

    for email in DEMO_EMAILS:
        gifts = Transfer.objects.filter(
            kind=Transfer.Kind.WELCOME_GIFT, credit_account__member__email=email
        )
        assert [gift.amount for gift in gifts] == [120], email


def test_ledger_is_consistent_afterwards():
    run_demo()
    run_demo()

    report = verify_ledger()
    assert report.ok, report.problems


def test_donations_are_quarter_hours_and_some_go_to_the_pool():
    run_demo()

    donations = Transfer.objects.filter(kind=Transfer.Kind.DONATION, key__startswith="demo-")
    assert all(d.amount % 15 == 0 for d in donations)
    assert donations.filter(credit_account__code="pool").count() >= 2
    assert donations.filter(credit_account__member__isnull=False).exists()


def test_output_gives_sign_in_details():
    output = run_demo()

    assert demo.LOGIN_URL in output
    assert demo.SIGN_IN_EMAIL in output
    assert demo.ADMIN_EMAIL in output
    assert demo.DEMO_PASSWORD in output


def test_printed_details_sign_in():
    run_demo()

    assert Client().login(email=demo.SIGN_IN_EMAIL, password=demo.DEMO_PASSWORD)
    assert Client().login(email=demo.ADMIN_EMAIL, password=demo.DEMO_PASSWORD)
    admin = Member.objects.get(email=demo.ADMIN_EMAIL)
    assert admin.is_staff and admin.is_superuser
    assert not Member.objects.filter(is_staff=True).exclude(email=demo.ADMIN_EMAIL).exists()


def test_demo_password_passes_the_password_validators():
    from django.contrib.auth.password_validation import validate_password

    for email in (demo.SIGN_IN_EMAIL, demo.ADMIN_EMAIL):
        validate_password(demo.DEMO_PASSWORD, Member(email=email, display_name="Demo"))


def test_demo_profiles_are_valid():
    run_demo()

    profiles = Profile.objects.select_related("member", "organisation")
    assert profiles.count() == len(DEMO_EMAILS)
    for profile in profiles:
        profile.full_clean()
    countries = {str(p.country) for p in profiles}
    assert {"GB", "IE", "NL", "KE", "IN", "AU", "CA"} <= countries
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert len(kinds) >= 8


def test_an_existing_member_with_a_demo_address_is_left_alone(make_member):
    existing = make_member(email=demo.SIGN_IN_EMAIL, display_name="Someone Else")

    output = run_demo()

    existing.refresh_from_db()
    assert existing.display_name == "Someone Else"
    assert f"Members: {len(DEMO_EMAILS)} ({len(DEMO_EMAILS) - 1} new)" in output
    assert verify_ledger().ok


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        run_demo()
    assert not Member.objects.exists()
