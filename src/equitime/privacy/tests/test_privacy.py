"""Download my data and delete my account (UK GDPR)."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from equitime.core.errors import DomainError
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, ExchangeMessage, Reflection, Status, Thanks
from equitime.ledger import services as ledger
from equitime.ledger.errors import LedgerError
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.members.models import Member
from equitime.privacy.services import member_data_export, member_erase
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return ImprovementArea.objects.first()


def offer_by(owner, area, title="Run charts for beginners"):
    return listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        title=title,
        description="An hour on run charts.",
        improvement_area=area,
        benefit="Better measurement on the ward.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )


@pytest.fixture
def history(member, other_member, area):
    """Amina gave Ben an hour (completed, thanked, reflected) and has a proposal open."""
    offer = offer_by(member, area)
    done = exchanges.exchange_propose_from_listing(
        listing=offer, member=other_member, minutes=60, message="Tuesday?"
    )
    exchanges.exchange_accept(exchange=done, member=member)
    exchanges.exchange_deliver(exchange=done, member=member, minutes=60)
    exchanges.exchange_confirm(exchange=done, member=other_member)
    exchanges.thanks_give(exchange=done, member=other_member, message="Brilliant session")
    exchanges.thanks_give(exchange=done, member=member, message="Lovely to help")
    exchanges.reflection_save(
        exchange=done,
        member=member,
        text="I learned to teach SPC",
        learned="Start from the team's own data.",
        practice_change="I bring a run chart to every huddle.",
        standards="NMC Code: Practise effectively",
    )
    open_one = exchanges.exchange_propose_from_listing(
        listing=offer_by(other_member, area, "Coaching"), member=member, minutes=30
    )
    exchanges.exchange_accept(exchange=open_one, member=other_member)
    return done, open_one


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}


def test_export_holds_everything_about_the_member(member, history):
    files = read_zip(member_data_export(member=member))

    assert set(files) >= {
        "member.json",
        "transfers.csv",
        "listings.json",
        "exchanges.json",
        "thanks.json",
        "reflections.json",
        "notifications.json",
    }
    about = json.loads(files["member.json"])
    assert about["email"] == member.email
    assert about["credits"] == {
        "balance_minutes": 180,
        "held_minutes": 30,
        "available_minutes": 150,
    }
    rows = list(csv.DictReader(io.StringIO(files["transfers.csv"])))
    assert {row["kind"] for row in rows} == {"welcome_gift", "exchange"}
    reflection = json.loads(files["reflections.json"])[0]
    assert reflection["text"] == "I learned to teach SPC"
    assert reflection["learned"] == "Start from the team's own data."
    assert reflection["practice_change"] == "I bring a run chart to every huddle."
    assert reflection["standards"] == "NMC Code: Practise effectively"
    thanks = json.loads(files["thanks.json"])
    assert thanks["received"][0]["message"] == "Brilliant session"
    exchanges_json = json.loads(files["exchanges.json"])
    assert any(m["body"] == "Tuesday?" for e in exchanges_json for m in e["messages"])


def test_export_never_holds_another_members_private_notes(member, other_member, history):
    exchanges.reflection_save(exchange=history[0], member=other_member, text="Ben's own note")
    files = read_zip(member_data_export(member=member))
    assert "Ben's own note" not in "".join(files.values())


def test_erasure_closes_the_account_and_returns_credits_to_the_pool(member, other_member, history):
    pool_before = ledger.pool_account().balance
    _done, open_one = history

    erased = member_erase(member=member)

    account = Account.objects.get(member=erased)
    assert account.closed_at is not None
    assert (account.balance, account.held) == (0, 0)
    closing = Transfer.objects.get(kind=Transfer.Kind.CLOSING)
    assert closing.amount == 180
    assert ledger.pool_account().balance == pool_before + 180
    assert Exchange.objects.get(pk=open_one.pk).status == Status.CANCELLED
    report = verify_ledger()
    assert report.ok, report.problems


def test_erasure_removes_personal_data_and_free_text(member, other_member, history):
    erased = member_erase(member=member)

    assert erased.display_name == "Former member"
    assert erased.email.endswith("@erased.invalid")
    assert not erased.is_active
    assert not erased.has_usable_password()
    profile = erased.profile
    assert (profile.bio, profile.profession, profile.organisation) == ("", "", None)
    assert not Reflection.objects.filter(author=erased).exists()
    assert set(ExchangeMessage.objects.filter(author=erased).values_list("body", flat=True)) <= {
        "[removed]"
    }
    assert Thanks.objects.get(author=erased).message == "[removed]"
    assert all(
        listing.description == "[removed]" for listing in Listing.objects.filter(owner=erased)
    )
    # The colleague's own words stay theirs.
    assert Thanks.objects.get(author=other_member).message == "Brilliant session"


def test_counterparts_see_former_member(client, member, other_member, history):
    done, _open_one = history
    member_erase(member=member)
    client.force_login(other_member)

    page = client.get(reverse("exchange_detail", args=[done.pk])).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    assert "Former member" in page
    assert "Amina Okafor" not in page
    assert "Amina Okafor" not in dashboard


def test_a_closed_account_takes_no_more_credits(member, other_member):
    member_erase(member=member)
    earn(other_member, 15)
    with pytest.raises(LedgerError, match="closed"):
        ledger.donation_make(key="late", donor=other_member, recipient=member, amount=15)


def test_erasure_waits_for_exchanges_whose_hours_are_logged(member, other_member, area):
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer_by(member, area), member=other_member, minutes=60
    )
    exchanges.exchange_accept(exchange=exchange, member=member)
    exchanges.exchange_deliver(exchange=exchange, member=member, minutes=60)

    with pytest.raises(DomainError, match="confirm or settle them first"):
        member_erase(member=member)
    assert Member.objects.get(pk=member.pk).is_active
    assert verify_ledger().ok


def test_erasing_twice_changes_nothing(member):
    member_erase(member=member)
    again = member_erase(member=Member.objects.get(pk=member.pk))
    assert Transfer.objects.filter(kind=Transfer.Kind.CLOSING).count() == 1
    assert again.display_name == "Former member"


# --- Pages --------------------------------------------------------------------


def test_privacy_notice_is_public(client):
    response = client.get(reverse("privacy_notice"))
    assert response.status_code == 200
    assert "Your rights" in response.content.decode()


@pytest.mark.parametrize("name", ["account_privacy", "account_data_download", "account_delete"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_download_asks_for_the_password_again(client, member):
    client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct horse battery staple"},
    )
    response = client.get(reverse("account_data_download"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response.url


def signed_in(client, member):
    """Sign in, then confirm the password again as a sensitive action asks."""
    password = "correct horse battery staple"
    response = client.post(reverse("account_login"), {"login": member.email, "password": password})
    assert response.status_code == 302
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def test_download_after_signing_in_gives_the_zip(client, member, history):
    signed_in(client, member)
    response = client.get(reverse("account_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "member.json" in "".join(read_zip(response.content))


def test_another_member_cannot_download_someone_elses_data(client, member, other_member):
    signed_in(client, other_member)
    files = read_zip(client.get(reverse("account_data_download")).content)
    assert member.email not in "".join(files.values())


def test_delete_needs_the_confirmation_box(client, member):
    signed_in(client, member)
    response = client.post(reverse("account_delete"), {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Member.objects.get(pk=member.pk).is_active


def test_delete_erases_signs_out_and_the_ledger_still_verifies(client, member, history):
    signed_in(client, member)
    response = client.post(reverse("account_delete"), {"confirm": "on"})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not Member.objects.get(pk=member.pk).is_active
    assert client.get(reverse("dashboard")).status_code == 302
    assert verify_ledger().ok


def test_delete_explains_why_it_must_wait(client, member, other_member, area):
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer_by(member, area), member=other_member, minutes=60
    )
    exchanges.exchange_accept(exchange=exchange, member=member)
    exchanges.exchange_deliver(exchange=exchange, member=member, minutes=60)
    signed_in(client, member)

    response = client.post(reverse("account_delete"), {"confirm": "on"})

    assert response.status_code == 200
    assert "confirm or settle them first" in response.content.decode()
    assert Member.objects.get(pk=member.pk).is_active
