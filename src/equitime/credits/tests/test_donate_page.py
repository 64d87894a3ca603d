"""The "Give credits" page: a member gives to a colleague or to the community pool."""

import re
import uuid

import pytest
from django.urls import reverse

from equitime.ledger.models import Account, Transfer
from equitime.ledger.services import pool_account
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db

URL = "/give/"


def available(member) -> int:
    return Account.objects.get(member=member).available


def pool_balance() -> int:
    return pool_account().balance


def request_key_from(response) -> str:
    match = re.search(
        r'<input type="hidden" name="request_key" value="([0-9a-f-]{36})"',
        response.content.decode(),
    )
    assert match, "the form carries no hidden request_key"
    return match.group(1)


def donation_data(**overrides):
    data = {"recipient": "", "hours": "1", "memo": "", "request_key": str(uuid.uuid4())}
    data.update(overrides)
    return data


def donations():
    return Transfer.objects.filter(kind=Transfer.Kind.DONATION)


def test_url_is_wired():
    assert reverse("donate") == URL


def test_form_shows_available_credits_and_a_hidden_request_key(client, member):
    client.force_login(member)

    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "You have <strong>2 credits</strong> available" in content
    key = request_key_from(response)
    assert uuid.UUID(key)
    for name in ("recipient", "hours", "memo"):
        assert f'name="{name}"' in content


def test_each_showing_of_the_form_has_a_fresh_request_key(client, member):
    client.force_login(member)

    first = request_key_from(client.get(URL))
    second = request_key_from(client.get(URL))

    assert first != second


def test_giving_to_a_colleague_moves_the_credits(client, member, other_member):
    earn(member, 75)
    client.force_login(member)
    key = request_key_from(client.get(URL))
    pool_before = pool_balance()

    response = client.post(
        URL,
        donation_data(
            recipient=other_member.email.upper(),
            hours="1.25",
            memo="Thanks for the QI coaching",
            request_key=key,
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert available(member) == 120 + 75 - 75
    assert available(other_member) == 120 + 75
    assert pool_balance() == pool_before
    transfer = donations().get()
    assert transfer.debit_account.member == member
    assert transfer.credit_account.member == other_member
    assert transfer.amount == 75
    assert transfer.initiated_by == member
    assert transfer.memo == "Thanks for the QI coaching"
    assert transfer.key == f"donation:{member.pk}:{key}"
    dashboard = client.get(response.url)
    assert "You gave 1.25 credits to Ben Carter. Thank you." in dashboard.content.decode()
    assert verify_ledger().ok


def test_giving_with_no_email_goes_to_the_community_pool(client, member):
    earn(member, 30)
    client.force_login(member)
    pool_before = pool_balance()

    response = client.post(URL, donation_data(recipient="", hours="0.5"))

    assert response.status_code == 302
    assert available(member) == 120
    assert pool_balance() == pool_before + 30
    transfer = donations().get()
    assert transfer.credit_account == pool_account()
    follow = client.get(response.url)
    assert "You gave 0.5 credits to Community pool." in follow.content.decode()


def test_replaying_the_same_post_moves_credits_once(client, member, other_member):
    earn(member, 60)
    client.force_login(member)
    data = donation_data(recipient=other_member.email, hours="1")

    first = client.post(URL, data)
    second = client.post(URL, data)
    third = client.post(URL, data)

    assert first.status_code == second.status_code == third.status_code == 302
    assert donations().count() == 1
    assert available(member) == 120
    assert available(other_member) == 180
    assert verify_ledger().ok


def test_reusing_a_request_key_for_a_different_gift_is_refused(client, member, other_member):
    earn(member, 60)
    client.force_login(member)
    key = str(uuid.uuid4())
    client.post(URL, donation_data(recipient=other_member.email, request_key=key))

    response = client.post(
        URL, donation_data(recipient=other_member.email, hours="0.5", request_key=key)
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert "already used for a different transfer" in content
    assert donations().count() == 1
    assert available(member) == 120


def test_two_members_may_happen_to_send_the_same_request_key(client, member, other_member):
    key = str(uuid.uuid4())
    earn(member, 60)
    earn(other_member, 60)
    client.force_login(member)
    client.post(URL, donation_data(request_key=key))
    client.force_login(other_member)

    response = client.post(URL, donation_data(request_key=key))

    assert response.status_code == 302
    assert donations().count() == 2
    assert available(member) == available(other_member) == 120


def test_giving_the_welcome_gift_on_is_a_clear_error_and_moves_nothing(
    client, member, other_member
):
    client.force_login(member)
    pool_before = pool_balance()

    response = client.post(URL, donation_data(recipient=other_member.email, hours="1"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert "You can give 0 credits. Only credits you earned by giving time" in content
    assert not donations().exists()
    assert available(member) == 120
    assert available(other_member) == 120
    assert pool_balance() == pool_before


def test_giving_more_than_was_earned_is_a_clear_error_and_moves_nothing(
    client, member, other_member
):
    earn(member, 60)
    client.force_login(member)

    response = client.post(URL, donation_data(recipient=other_member.email, hours="1.25"))

    assert response.status_code == 200
    assert "You can give 1 credit." in response.content.decode()
    assert not donations().exists()
    assert available(member) == 180


def test_the_page_says_how_much_can_be_given(client, member):
    client.force_login(member)
    before = client.get(URL).content.decode()
    earn(member, 90)
    after = client.get(URL).content.decode()

    assert "You can give <strong>0 credits</strong>" in before
    assert "You can give <strong>1.5 credits</strong>" in after
    assert "You have <strong>3.5 credits</strong> available" in after


def test_one_credit_is_one_credit_on_the_page(client, make_member):
    """Issue 12: "1 credit", never "1 credits", in the page's own sentences."""
    member = make_member()
    client.force_login(member)
    earn(member, 60)
    content = client.get(URL).content.decode()

    assert "You can give <strong>1 credit</strong>." in content
    assert "1 credits" not in content


def test_giving_past_the_recipient_ceiling_is_a_clear_error_and_moves_nothing(
    client, member, other_member
):
    Account.objects.filter(member=other_member).update(ceiling=150)
    earn(member, 60)
    client.force_login(member)

    response = client.post(URL, donation_data(recipient=other_member.email, hours="1"))

    assert response.status_code == 200
    assert "Ben Carter cannot hold more than 2.5 credits." in response.content.decode()
    assert not donations().exists()
    assert available(member) == 180
    assert available(other_member) == 120


def test_giving_everything_earned_is_allowed(client, member):
    earn(member, 120)
    client.force_login(member)

    response = client.post(URL, donation_data(hours="2"))

    assert response.status_code == 302
    assert available(member) == 120  # the welcome gift, kept for receiving time


def test_giving_credits_that_are_held_is_refused(client, member, other_member):
    from equitime.ledger.services import hold_place

    earn(member, 60)
    hold_place(
        key="hold-for-test",
        kind=Transfer.Kind.EXCHANGE,
        debit_account=member.account,
        credit_account=other_member.account,
        amount=150,
        initiated_by=member,
    )
    client.force_login(member)

    response = client.post(URL, donation_data(hours="1"))

    assert response.status_code == 200
    assert "You can give 0.5 credits." in response.content.decode()
    assert not donations().exists()
    assert available(member) == 30


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"recipient": "SELF"}, "recipient", "You cannot give credits to yourself."),
        (
            {"recipient": "nobody@example.org"},
            "recipient",
            "No member has this e-mail address.",
        ),
        ({"recipient": "not-an-email"}, "recipient", "No member is called “not-an-email”."),
        ({"hours": "0.3"}, "hours", "Use quarter-hours"),
        ({"hours": "1.1"}, "hours", "Use quarter-hours"),
        ({"hours": "0.125"}, "hours", "decimal places"),
        ({"hours": "0"}, "hours", "greater than or equal to 0.25"),
        ({"hours": "-1"}, "hours", "greater than or equal to 0.25"),
        ({"hours": "lots"}, "hours", "Enter a number."),
        ({"hours": "NaN"}, "hours", "Enter a number."),
        ({"hours": ""}, "hours", "This field is required."),
        ({"hours": "1001"}, "hours", "less than or equal to 1000"),
        ({"memo": "x" * 201}, "memo", "at most 200 characters"),
    ],
)
def test_invalid_gift_is_a_form_error_and_moves_nothing(
    client, member, other_member, overrides, field, message
):
    if overrides.get("recipient") == "SELF":
        overrides = {**overrides, "recipient": member.email.upper()}
    client.force_login(member)
    pool_before = pool_balance()

    response = client.post(URL, donation_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert f'href="#id_{field}"' in content
    assert message in content
    assert not donations().exists()
    assert available(member) == 120
    assert available(other_member) == 120
    assert pool_balance() == pool_before


def test_giving_to_an_inactive_member_is_refused(client, member, other_member):
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])
    client.force_login(member)

    response = client.post(URL, donation_data(recipient=other_member.email))

    assert response.status_code == 200
    assert "No member has this e-mail address." in response.content.decode()
    assert not donations().exists()


def test_an_unconfirmed_donor_is_refused_by_the_page(client, make_member, other_member):
    # The ledger knows nothing of members: the page asks whether the donor may trade.
    unconfirmed = make_member(email_verified=False)
    earn(unconfirmed, 60)
    client.force_login(unconfirmed)

    response = client.post(URL, donation_data(recipient=other_member.email))

    assert response.status_code == 200
    assert "Confirm your e-mail address before you trade." in response.content.decode()
    assert not donations().exists()


def test_an_invalid_post_keeps_its_request_key(client, member):
    client.force_login(member)
    key = str(uuid.uuid4())

    response = client.post(URL, donation_data(hours="0.3", request_key=key))

    # Correcting the amount and resubmitting is still the same request.
    assert request_key_from(response) == key


def test_a_post_without_a_request_key_still_gives_once(client, member):
    earn(member, 60)
    client.force_login(member)
    data = donation_data()
    del data["request_key"]

    response = client.post(URL, data)

    assert response.status_code == 302
    assert donations().count() == 1


def test_a_tampered_request_key_is_explained_and_moves_nothing(client, member):
    client.force_login(member)
    data = donation_data()
    data["request_key"] = "not-a-key"

    response = client.post(URL, data)

    assert response.status_code == 200
    assert not donations().exists()
    summary = re.search(
        r'class="error-summary".*?<ul>(.*?)</ul>', response.content.decode(), flags=re.S
    )
    assert summary
    assert "submit again" in summary.group(1)


def test_anonymous_get_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


def test_anonymous_post_is_sent_to_sign_in_and_moves_nothing(client, member, other_member):
    pool_before = pool_balance()

    response = client.post(URL, donation_data(recipient=other_member.email))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not donations().exists()
    assert available(member) == available(other_member) == 120
    assert pool_balance() == pool_before


def test_donate_page_refuses_other_methods(client, member):
    client.force_login(member)

    response = client.delete(URL)

    assert response.status_code == 405
    assert not donations().exists()
