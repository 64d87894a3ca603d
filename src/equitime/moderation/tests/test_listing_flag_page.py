"""Reporting a listing: the link on the listing page and the report form, as
an anonymous visitor, as the owner, as another member and as a moderator."""

import pytest
from django.urls import reverse

from equitime.listings.services import listing_close, listing_pause
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag

pytestmark = pytest.mark.django_db

NHS_NUMBER = "943 476 5919"


def flag_url(listing):
    return reverse("listing_flag", args=[listing.pk])


def detail_url(listing):
    return reverse("listing_detail", args=[listing.pk])


def body(response) -> str:
    return response.content.decode()


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The link on the listing page ---------------------------------------------------


def test_a_colleague_sees_a_report_link_on_the_listing(client, listing, reporter):
    client.force_login(reporter)

    response = client.get(detail_url(listing))

    assert f'href="{flag_url(listing)}"' in body(response)
    assert "Report this listing" in body(response)


def test_the_owner_sees_no_report_link(client, listing, owner):
    client.force_login(owner)

    response = client.get(detail_url(listing))

    assert response.status_code == 200
    assert flag_url(listing) not in body(response)


def test_a_closed_listing_has_no_report_link_even_for_a_moderator(
    client, listing, owner, moderator
):
    listing_close(listing=listing, member=owner)
    client.force_login(moderator)

    response = client.get(detail_url(listing))

    assert response.status_code == 200
    assert flag_url(listing) not in body(response)


def test_a_moderator_can_open_a_paused_listing_other_members_cannot(
    client, listing, owner, moderator, reporter
):
    listing_pause(listing=listing, member=owner)

    client.force_login(reporter)
    assert client.get(detail_url(listing)).status_code == 404
    client.force_login(moderator)
    assert client.get(detail_url(listing)).status_code == 200


# --- The form -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, listing, method):
    url = flag_url(listing)

    data = {"reason": "other", "note": "x"} if method == "post" else None

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert not ListingFlag.objects.exists()


def test_the_form_asks_for_a_reason_in_a_fieldset_and_an_optional_note(client, listing, reporter):
    client.force_login(reporter)

    response = client.get(flag_url(listing))

    page = body(response)
    assert response.status_code == 200
    assert "<h1>Report this listing</h1>" in page
    assert '<legend class="field__legend">What is wrong with this listing?</legend>' in page
    for value, label in ListingFlag.Reason.choices:
        assert f'value="{value}"' in page
        assert str(label) in page
    assert '<label for="id_note">Tell the moderators more' in page
    assert 'maxlength="1000"' in page
    assert "not told who reported it" in page
    assert not ListingFlag.objects.exists()


def test_reporting_records_the_flag_and_goes_back_to_the_listing(client, listing, reporter):
    client.force_login(reporter)

    response = client.post(
        flag_url(listing), {"reason": "asks_for_money", "note": "It asks for £40."}, follow=True
    )

    assert response.redirect_chain == [(detail_url(listing), 302)]
    assert any("Thank you for your report" in text for text in page_messages(response))
    flag = ListingFlag.objects.get()
    assert (flag.listing, flag.flagged_by, flag.reason, flag.note) == (
        listing,
        reporter,
        "asks_for_money",
        "It asks for £40.",
    )


def test_a_report_without_a_reason_is_shown_again_with_the_error(client, listing, reporter):
    client.force_login(reporter)

    response = client.post(flag_url(listing), {"reason": "", "note": "Hmm"})

    assert response.status_code == 422
    assert "There is a problem" in body(response)
    assert "This field is required." in body(response)
    assert not ListingFlag.objects.exists()


def test_something_else_without_a_note_is_refused_on_the_form(client, listing, reporter):
    client.force_login(reporter)

    response = client.post(flag_url(listing), {"reason": "other", "note": ""})

    assert response.status_code == 422
    assert "Say what is wrong" in body(response)
    assert not ListingFlag.objects.exists()


def test_patient_information_in_the_note_is_refused_and_not_repeated(client, listing, reporter):
    client.force_login(reporter)

    response = client.post(
        flag_url(listing), {"reason": "patient_information", "note": f"NHS no {NHS_NUMBER}"}
    )

    assert response.status_code == 422
    assert "could identify a patient" in body(response)
    assert not ListingFlag.objects.exists()


def test_a_second_report_is_refused_and_the_page_says_so(client, listing, reporter):
    listing_flag(listing=listing, member=reporter, reason="inappropriate")
    client.force_login(reporter)

    page = client.get(flag_url(listing))
    again = client.post(flag_url(listing), {"reason": "other", "note": "Again"})

    assert "already reported this listing" in body(page)
    assert "<form" not in body(page).split("<main", 1)[1]
    assert again.status_code == 422
    assert "already reported this listing" in body(again)
    assert ListingFlag.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_owner_is_sent_back_with_a_message(client, listing, owner, method):
    client.force_login(owner)

    response = getattr(client, method)(
        flag_url(listing), {"reason": "other", "note": "x"}, follow=True
    )

    assert response.redirect_chain == [(detail_url(listing), 302)]
    assert "You cannot report your own listing." in page_messages(response)
    assert not ListingFlag.objects.exists()


def test_a_listing_the_member_may_not_see_is_404(client, listing, owner, reporter):
    listing_pause(listing=listing, member=owner)
    client.force_login(reporter)

    assert client.get(flag_url(listing)).status_code == 404
    assert client.post(flag_url(listing), {"reason": "other", "note": "x"}).status_code == 404
    assert not ListingFlag.objects.exists()


def test_a_moderator_reports_like_anyone_else(client, listing, moderator):
    client.force_login(moderator)

    response = client.post(flag_url(listing), {"reason": "inappropriate", "note": ""})

    assert response.status_code == 302
    assert ListingFlag.objects.get().flagged_by == moderator


def test_a_closed_listing_cannot_be_reported_even_by_a_moderator(client, listing, owner, moderator):
    listing_close(listing=listing, member=owner)
    client.force_login(moderator)

    response = client.get(flag_url(listing), follow=True)

    assert response.redirect_chain == [(detail_url(listing), 302)]
    assert any("closed already" in text for text in page_messages(response))


def test_the_form_page_refuses_other_methods(client, listing, reporter):
    client.force_login(reporter)

    assert client.put(flag_url(listing)).status_code == 405
