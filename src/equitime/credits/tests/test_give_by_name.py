"""Giving credits to a colleague chosen by name, as a page without JavaScript
sees it: the name resolves on the server, several matches come back as a
choice, and a hidden member id is checked like a typed name."""

import re
import uuid

import pytest
from django.urls import reverse

from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db

URL = reverse("donate")


def give(client, **fields):
    data = {"recipient": "", "recipient_id": "", "hours": "1", "memo": ""}
    data["request_key"] = str(uuid.uuid4())
    data.update(fields)
    return client.post(URL, data)


def given_to() -> list[Member | None]:
    return [
        t.credit_account.member
        for t in Transfer.objects.filter(kind=Transfer.Kind.DONATION).select_related(
            "credit_account__member"
        )
    ]


def recipient_errors(response) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors.get("recipient", [])


@pytest.fixture
def donor(client, member):
    earn(member, 120)
    client.force_login(member)
    return member


@pytest.fixture
def wei(make_member):
    return make_member(
        display_name="Dr Wei Zhang",
        profession="Medical statistician",
        organisation=OrganisationFactory(name="Ashworth University"),
    )


def test_a_name_that_matches_one_colleague_gives_to_them(client, donor, wei, other_member):
    response = give(client, recipient="wei")

    assert response.status_code == 302
    assert given_to() == [wei]


@pytest.mark.parametrize("typed", ["Zhang", "dr wei zhang", "WEI ZH", "  zhang   wei "])
def test_the_name_may_be_typed_by_family_name_with_a_title_in_any_case(client, donor, wei, typed):
    assert give(client, recipient=typed).status_code == 302
    assert given_to() == [wei]


def test_a_name_several_colleagues_share_comes_back_as_a_choice(client, donor, make_member):
    org = OrganisationFactory(name="Northgate Trust")
    first = make_member(display_name="Sam Patel", profession="Pharmacist", organisation=org)
    second = make_member(display_name="Sam Okoro", profession="Physiotherapist")

    response = give(client, recipient="Sam")

    assert recipient_errors(response) == ["2 members are called “Sam”. Choose yours below."]
    html = response.content.decode()
    assert "Which “Sam” do you mean?" in html
    radios = re.findall(r'<input type="radio" name="recipient_id" id="[^"]+" value="(\d+)">', html)
    assert radios == [str(second.pk), str(first.pk)]  # by family name: Okoro, Patel
    assert "Pharmacist · Northgate Trust" in html
    assert "Physiotherapist" in html
    assert not given_to()

    # Choosing one of them gives to that one.
    response = give(client, recipient="Sam", recipient_id=str(first.pk))

    assert response.status_code == 302
    assert given_to() == [first]


def test_one_exact_name_among_longer_ones_is_chosen(client, donor, make_member):
    sam = make_member(display_name="Sam Lee")
    make_member(display_name="Sam Leeson")

    assert give(client, recipient="sam lee").status_code == 302
    assert given_to() == [sam]


def test_many_matches_ask_for_more_of_the_name(client, donor, make_member):
    for n in range(12):
        make_member(display_name=f"Alex Smith{chr(ord('a') + n)}")

    response = give(client, recipient="alex")

    assert recipient_errors(response) == [
        "More than 10 members are called “alex”. Choose yours below, or type more of their name."
    ]
    assert response.content.decode().count('name="recipient_id"') == 10


def test_a_name_nobody_has_is_a_clear_error(client, donor, wei):
    response = give(client, recipient="Florence Nightingale")

    assert recipient_errors(response) == [
        "No member is called “Florence Nightingale”. Check the spelling, "
        "or find them on the members page."
    ]
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_recipient"' in html
    assert not given_to()


def test_your_own_name_is_refused(client, donor):
    response = give(client, recipient="Amina Okafor")

    assert recipient_errors(response) == ["You cannot give credits to yourself."]
    assert not given_to()


def test_your_own_name_among_others_is_left_out(client, donor, make_member):
    namesake = make_member(display_name="Amina Bello")

    assert give(client, recipient="Amina").status_code == 302
    assert given_to() == [namesake]


def test_a_suspended_colleague_cannot_be_found(client, donor, wei, make_member):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=wei, by=moderator, reason="Asked for money.")

    response = give(client, recipient="Wei Zhang")

    assert recipient_errors(response)[0].startswith("No member is called “Wei Zhang”.")
    assert not given_to()


def test_staff_and_system_accounts_cannot_be_chosen(client, donor, make_member):
    admin = make_member(display_name="Demo Administrator")
    Member.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)

    response = give(client, recipient="Demo Administrator")

    assert recipient_errors(response)[0].startswith("No member is called")
    assert not given_to()


def test_an_email_address_still_finds_a_colleague(client, donor, wei):
    assert give(client, recipient=wei.email.upper()).status_code == 302
    assert given_to() == [wei]


def test_no_name_gives_to_the_community_pool(client, donor):
    assert give(client).status_code == 302
    assert given_to() == [None]


# --- The hidden id: a choice among the people the name matches, never trusted ----------


def test_a_hidden_id_chooses_the_colleague(client, donor, wei):
    assert give(client, recipient="Dr Wei Zhang", recipient_id=str(wei.pk)).status_code == 302
    assert given_to() == [wei]


@pytest.mark.parametrize("who", ["suspended", "staff", "self", "nobody", "junk", "huge"])
def test_a_tampered_hidden_id_chooses_nobody(client, donor, wei, make_member, who):
    target = make_member(display_name="Hidden Target")
    if who == "suspended":
        moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
        member_suspend(member=target, by=moderator, reason="Spam.")
    elif who == "staff":
        Member.objects.filter(pk=target.pk).update(is_staff=True)
    chosen = {
        "suspended": str(target.pk),
        "staff": str(target.pk),
        "self": str(donor.pk),
        "nobody": "999999",
        "junk": "1 OR 1=1",
        "huge": "9" * 40,
    }[who]

    response = give(client, recipient="", recipient_id=chosen)

    expected = (
        "You cannot give credits to yourself."
        if who == "self"
        else "Choose your colleague from the list."
    )
    assert recipient_errors(response) == [expected]
    assert not given_to()


def test_a_hidden_id_for_someone_the_name_does_not_match_gives_way_to_the_name(
    client, donor, wei, other_member
):
    # The page came from Wei's profile; the donor then typed another name.
    response = give(client, recipient="Ben Carter", recipient_id=str(wei.pk))

    assert response.status_code == 302
    assert given_to() == [other_member]


def test_a_hidden_id_for_a_suspended_member_falls_back_to_the_typed_name(
    client, donor, other_member, make_member
):
    gone = make_member(display_name="Ben Gone")
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=gone, by=moderator, reason="Spam.")

    response = give(client, recipient="Ben Carter", recipient_id=str(gone.pk))

    assert response.status_code == 302
    assert given_to() == [other_member]


# --- Arriving from a profile ---------------------------------------------------------


def test_a_link_from_a_profile_arrives_with_the_colleague_chosen(client, donor, wei):
    html = client.get(f"{URL}?to={wei.pk}").content.decode()

    assert 'name="recipient" value="Dr Wei Zhang"' in html
    assert f'name="recipient_id" value="{wei.pk}"' in html


@pytest.mark.parametrize("to", ["self", "staff", "junk"])
def test_a_link_to_someone_who_cannot_be_chosen_arrives_empty(client, donor, make_member, to):
    staff = make_member(display_name="Staff Person")
    Member.objects.filter(pk=staff.pk).update(is_staff=True)
    pk = {"self": str(donor.pk), "staff": str(staff.pk), "junk": "abc"}[to]

    response = client.get(f"{URL}?to={pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="recipient" value=""' in html
    assert 'name="recipient_id" value=""' in html


def test_the_name_box_is_labelled_and_loads_the_picker_script(client, donor):
    html = client.get(URL).content.decode()

    assert '<label for="id_recipient">Colleague&#x27;s name' in html
    assert re.search(r'<script src="[^"]*members/colleague_picker\.js" defer>', html)
    assert 'data-search-url="/members/search/"' in html
    assert "e-mail address" not in html.split("<form", 1)[1]
