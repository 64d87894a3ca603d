"""The listing pages: post, view, edit, pause, resume, close and renew.

Each page is tried as the owner, as another member and as an anonymous
visitor; refused requests must leave the listing exactly as it was.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_close, listing_pause
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

PATIENT_WARNING = "Keep patient information out."


# --- Fixtures and helpers -------------------------------------------------------------


@pytest.fixture
def area(db):
    return ImprovementArea.objects.get(slug="patient-safety")


@pytest.fixture
def skill(db):
    return Skill.objects.get(slug="survival-analysis")


@pytest.fixture
def listing(make_listing, member):
    return make_listing(member)


def form_data(area, skill, **overrides):
    data = {
        "title": "Help designing a run chart",
        "description": "I have six months of falls data and need a run chart.",
        "improvement_area": area.pk,
        "benefit": "Fewer falls on the elderly care wards.",
        "skills": [skill.pk],
        "hours": "1.5",
        "format": Format.REMOTE,
        "place": "",
        "languages": "English, Urdu",
    }
    data.update(overrides)
    return data


def login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?next={next_url}"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def snapshot(listing: Listing) -> dict:
    """Everything a refused request must leave alone."""
    fresh = Listing.objects.get(pk=listing.pk)
    return {
        "title": fresh.title,
        "description": fresh.description,
        "benefit": fresh.benefit,
        "estimated_minutes": fresh.estimated_minutes,
        "status": fresh.status,
        "expires_at": fresh.expires_at,
        "updated_at": fresh.updated_at,
        "closed_at": fresh.closed_at,
    }


def create_url(kind: str) -> str:
    return reverse("listing_create", args=[kind])


def act_url(listing: Listing, action: str) -> str:
    return reverse("listing_act", args=[listing.pk, action])


# --- Create ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "heading"), [("offer", "Offer your time"), ("request", "Ask for help")]
)
def test_create_form_is_shown_with_the_patient_information_warning(client, member, kind, heading):
    client.force_login(member)

    response = client.get(create_url(kind))

    assert response.status_code == 200
    content = response.content.decode()
    assert heading in content
    assert PATIENT_WARNING in content
    assert "NHS numbers" in content  # the description's own hint repeats it
    assert response.context["kind"] == kind
    assert not response.context["form"].is_bound


@pytest.mark.parametrize("kind", [Listing.Kind.OFFER, Listing.Kind.REQUEST])
def test_member_posts_a_listing_and_is_sent_to_it(client, member, area, skill, kind):
    client.force_login(member)

    response = client.post(create_url(kind), form_data(area, skill))

    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("listing_detail", args=[listing.pk])
    assert listing.owner == member
    assert listing.kind == kind
    assert listing.title == "Help designing a run chart"
    assert listing.estimated_minutes == 90
    assert listing.status == Listing.Status.OPEN
    assert listing.languages == ["English", "Urdu"]
    assert list(listing.skills.all()) == [skill]
    assert listing.improvement_area == area
    expected_expiry = timezone.now() + timedelta(days=90)
    assert abs(listing.expires_at - expected_expiry) < timedelta(minutes=1)
    assert messages_of(response) == ["Your listing is published."]


def test_unknown_kind_is_not_found(client, member, area, skill):
    client.force_login(member)

    assert client.get(create_url("bargain")).status_code == 404
    assert client.post(create_url("bargain"), form_data(area, skill)).status_code == 404
    assert not Listing.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_posted(client, area, skill):
    url = create_url("offer")

    get = client.get(url)
    post = client.post(url, form_data(area, skill))

    assert get.status_code == 302
    assert get.url == login_url(url)
    assert post.status_code == 302
    assert post.url == login_url(url)
    assert not Listing.objects.exists()


def test_create_refuses_other_methods(client, member):
    client.force_login(member)

    assert client.put(create_url("offer")).status_code == 405


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"benefit": ""}, "benefit", "This field is required."),
        ({"benefit": "   "}, "benefit", "This field is required."),
        ({"hours": "0.3"}, "hours", "Use quarter-hours"),
        ({"hours": "0"}, "hours", "greater than or equal to 0.25"),
        ({"hours": "-1"}, "hours", "greater than or equal to 0.25"),
        ({"hours": "40.25"}, "hours", "less than or equal to 40"),
        ({"hours": "41"}, "hours", "less than or equal to 40"),
        ({"hours": ""}, "hours", "This field is required."),
        ({"title": "x" * 121}, "title", "at most 120 characters"),
        ({"title": ""}, "title", "This field is required."),
        ({"improvement_area": ""}, "improvement_area", "This field is required."),
    ],
)
def test_invalid_fields_are_shown_as_errors_and_nothing_is_posted(
    client, member, area, skill, overrides, field, error
):
    client.force_login(member)

    response = client.post(create_url("offer"), form_data(area, skill, **overrides))

    assert response.status_code == 200
    form = response.context["form"]
    assert any(error in message for message in form.errors[field]), form.errors
    content = response.content.decode()
    assert "There is a problem" in content
    assert PATIENT_WARNING in content
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "phrase", "where"),
    [
        ({"title": "Run chart coaching, £20"}, "£20", "title"),
        ({"description": "I ask 50 pounds for the session."}, "50 pounds", "description"),
        ({"description": "A small fee covers my travel."}, "fee", "description"),
        ({"benefit": "I will invoice your department."}, "invoice", "benefit"),
        ({"description": "Payment by bank transfer after the session."}, "Payment", "description"),
        ({"title": "Stats help for $30"}, "$30", "title"),
        ({"description": "My hourly rate is modest."}, "hourly rate", "description"),
        ({"description": "Cash is fine."}, "Cash", "description"),
    ],
)
def test_money_talk_is_refused_with_the_phrase_named(
    client, member, area, skill, overrides, phrase, where
):
    client.force_login(member)

    response = client.post(create_url("request"), form_data(area, skill, **overrides))

    assert response.status_code == 200
    # Next to its field, not above the form (issue 12 §5).
    assert not response.context["form"].non_field_errors()
    [error] = response.context["form"].errors[where]
    assert "No money changes hands" in error
    assert f"\u201c{phrase}\u201d from the {where}" in error
    assert f"\u201c{phrase}\u201d" in response.content.decode()
    assert not Listing.objects.exists()


def test_a_rule_refusal_is_a_field_error_shown_with_the_others(client, member, area, skill):
    """Issue 12 §5: a money refusal is marked on its field, linked from the
    error summary, and shown together with the form's other errors."""
    client.force_login(member)

    response = client.post(
        create_url("request"),
        form_data(area, skill, description="Paid via PayPal after the session.", hours="0"),
    )

    page = response.content.decode()
    errors = response.context["form"].errors
    assert {"description", "hours"} <= set(errors)
    assert "No money changes hands" in errors["description"][0]
    assert 'href="#id_description"' in page
    textarea = page[page.index('<textarea name="description"') :]
    textarea = textarea[: textarea.index(">")]
    assert 'aria-invalid="true"' in textarea
    assert "id_description_error" in textarea
    assert page.index('href="#id_description"') < page.index('href="#id_hours"')
    assert not Listing.objects.exists()


def test_an_empty_post_is_answered_with_errors_not_a_blank_form(client, member):
    client.force_login(member)

    response = client.post(create_url("offer"), {})

    assert response.status_code == 200
    assert {"title", "description", "benefit", "hours", "improvement_area"} <= set(
        response.context["form"].errors
    )
    assert not Listing.objects.exists()


# --- Detail ----------------------------------------------------------------------------


def test_owner_sees_edit_pause_close_and_renew_controls(client, member, listing):
    # Near its end, so renewing would change something (see test_renew_and_close).
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=3))
    client.force_login(member)

    response = client.get(reverse("listing_detail", args=[listing.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["is_owner"] is True
    assert response.context["propose_form"] is None
    assert f'href="{reverse("listing_edit", args=[listing.pk])}"' in content
    for action in ("pause", "renew"):
        assert f'action="{act_url(listing, action)}"' in content
    assert f'href="{reverse("listing_close_confirm", args=[listing.pk])}"' in content  # asks
    assert f'action="{act_url(listing, "resume")}"' not in content
    assert reverse("exchange_propose", args=[listing.pk]) not in content


def test_owner_of_a_paused_listing_is_offered_reopen_instead_of_pause(client, member, listing):
    listing_pause(listing=listing, member=member)
    client.force_login(member)

    response = client.get(reverse("listing_detail", args=[listing.pk]))

    content = response.content.decode()
    assert f'action="{act_url(listing, "resume")}"' in content
    assert f'action="{act_url(listing, "pause")}"' not in content
    assert "Paused" in content


@pytest.mark.parametrize(
    ("kind", "heading"),
    [(Listing.Kind.OFFER, "Take up this offer"), (Listing.Kind.REQUEST, "Offer to help")],
)
def test_another_member_sees_the_take_up_form_and_no_owner_controls(
    client, make_listing, member, other_member, kind, heading
):
    listing = make_listing(member, kind=kind, minutes=90)
    client.force_login(other_member)

    response = client.get(reverse("listing_detail", args=[listing.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert heading in content
    assert f'action="{reverse("exchange_propose", args=[listing.pk])}"' in content
    assert response.context["propose_form"]["hours"].value() == 1.5
    assert reverse("listing_edit", args=[listing.pk]) not in content
    for action in ("pause", "resume", "renew", "close"):
        assert act_url(listing, action) not in content
    assert "Amina Okafor" in content


def test_anonymous_visitor_is_sent_to_sign_in_from_the_detail(client, listing):
    url = reverse("listing_detail", args=[listing.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == login_url(url)


@pytest.mark.parametrize("hide", [listing_pause, listing_close])
def test_paused_or_closed_listing_is_hidden_from_others_but_not_from_its_owner(
    client, listing, member, other_member, hide
):
    hide(listing=listing, member=member)
    url = reverse("listing_detail", args=[listing.pk])

    client.force_login(other_member)
    assert client.get(url).status_code == 404
    assert client.get(reverse("exchange_propose", args=[listing.pk])).status_code == 404

    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["listing"] == listing


def test_expired_listing_is_hidden_from_others_and_its_owner_may_renew(
    client, listing, member, other_member
):
    Listing.objects.filter(pk=listing.pk).update(
        status=Listing.Status.EXPIRED, expires_at=timezone.now() - timedelta(days=1)
    )
    url = reverse("listing_detail", args=[listing.pk])

    client.force_login(other_member)
    assert client.get(url).status_code == 404

    client.force_login(member)
    response = client.get(url)
    content = response.content.decode()
    assert "Expired" in content
    assert f'action="{act_url(listing, "renew")}"' in content


def test_open_listing_past_its_date_shows_no_take_up_form(client, listing, other_member):
    # The expiry command has not run yet, but the date has passed.
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    client.force_login(other_member)

    response = client.get(reverse("listing_detail", args=[listing.pk]))

    assert response.status_code == 200
    assert response.context["propose_form"] is None
    assert "not open for new exchanges" in response.content.decode()


def test_unknown_listing_is_not_found(client, member):
    client.force_login(member)

    assert client.get(reverse("listing_detail", args=[999999])).status_code == 404


def test_html_in_title_description_and_benefit_is_shown_escaped(
    client, make_listing, member, other_member
):
    listing = make_listing(
        member,
        title='<script>alert("t")</script>Stats',
        description="<img src=x onerror=alert(1)>\nSecond line <b>bold</b>",
        benefit="<a href='javascript:alert(2)'>Safer wards</a>",
    )
    client.force_login(other_member)

    response = client.get(reverse("listing_detail", args=[listing.pk]))

    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;Stats" in content
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assert "<b>bold</b>" not in content
    assert "<a href='javascript" not in content
    assert "&lt;a href=&#x27;javascript:alert(2)&#x27;&gt;Safer wards&lt;/a&gt;" in content


# --- Edit ------------------------------------------------------------------------------


def test_owner_sees_the_edit_form_filled_in(client, member, listing):
    client.force_login(member)

    response = client.get(reverse("listing_edit", args=[listing.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Survival analysis in R"
    assert form["hours"].value() == 1
    assert PATIENT_WARNING in response.content.decode()
    assert "Edit listing" in response.content.decode()


def test_owner_saves_changes(client, member, listing, area, skill):
    client.force_login(member)

    response = client.post(
        reverse("listing_edit", args=[listing.pk]),
        form_data(area, skill, title="Survival analysis in R and Stata", hours="2.25"),
    )

    assert response.status_code == 302
    assert response.url == reverse("listing_detail", args=[listing.pk])
    listing.refresh_from_db()
    assert listing.title == "Survival analysis in R and Stata"
    assert listing.estimated_minutes == 135
    assert listing.kind == Listing.Kind.OFFER  # the kind is not editable
    assert messages_of(response) == ["Your listing is saved."]


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"hours": "0.3"}, "Use quarter-hours"),
        ({"benefit": ""}, "This field is required."),
        ({"description": "Reimbursement for my time, please."}, "No money changes hands"),
    ],
)
def test_owner_edit_with_bad_input_changes_nothing(
    client, member, listing, area, skill, overrides, error
):
    before = snapshot(listing)
    client.force_login(member)

    response = client.post(
        reverse("listing_edit", args=[listing.pk]), form_data(area, skill, **overrides)
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert snapshot(listing) == before


def test_another_member_cannot_open_or_post_the_edit_form(
    client, listing, other_member, area, skill
):
    before = snapshot(listing)
    client.force_login(other_member)
    url = reverse("listing_edit", args=[listing.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, form_data(area, skill, title="Hijacked")).status_code == 404
    assert snapshot(listing) == before


def test_anonymous_visitor_cannot_edit(client, listing, area, skill):
    before = snapshot(listing)
    url = reverse("listing_edit", args=[listing.pk])

    get = client.get(url)
    post = client.post(url, form_data(area, skill, title="Hijacked"))

    assert (get.status_code, get.url) == (302, login_url(url))
    assert (post.status_code, post.url) == (302, login_url(url))
    assert snapshot(listing) == before


# --- Pause, resume, close, renew -------------------------------------------------------


def test_owner_pauses_and_resumes(client, member, listing):
    client.force_login(member)

    paused = client.post(act_url(listing, "pause"))
    listing.refresh_from_db()
    assert paused.status_code == 302
    assert paused.url == reverse("listing_detail", args=[listing.pk])
    assert listing.status == Listing.Status.PAUSED
    assert messages_of(paused) == ["Your listing is paused: nobody can take it up."]

    resumed = client.post(act_url(listing, "resume"))
    listing.refresh_from_db()
    assert listing.status == Listing.Status.OPEN
    # The first message was never shown, so it is still waiting in the store.
    assert messages_of(resumed)[-1] == "Your listing is open again."


def test_owner_closes(client, member, listing):
    client.force_login(member)

    response = client.post(act_url(listing, "close"))

    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED
    assert listing.closed_at is not None
    assert messages_of(response) == ["Your listing is closed."]


def test_renew_pushes_expiry_ninety_days_ahead(client, member, listing):
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=3))
    client.force_login(member)

    response = client.post(act_url(listing, "renew"))

    listing.refresh_from_db()
    expected = timezone.now() + timedelta(days=90)
    assert abs(listing.expires_at - expected) < timedelta(minutes=1)
    assert listing.status == Listing.Status.OPEN
    assert messages_of(response) == ["Your listing is renewed and open."]


def test_renew_reopens_an_expired_listing(client, member, other_member, listing):
    Listing.objects.filter(pk=listing.pk).update(
        status=Listing.Status.EXPIRED,
        expires_at=timezone.now() - timedelta(days=2),
        expiry_warned_at=timezone.now() - timedelta(days=9),
    )
    client.force_login(member)

    client.post(act_url(listing, "renew"))

    listing.refresh_from_db()
    assert listing.status == Listing.Status.OPEN
    assert listing.expires_at > timezone.now() + timedelta(days=89)
    assert listing.expiry_warned_at is None
    client.force_login(other_member)
    assert client.get(reverse("listing_detail", args=[listing.pk])).status_code == 200


def test_resuming_a_paused_listing_past_its_date_renews_it(client, member, listing):
    listing_pause(listing=listing, member=member)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    client.force_login(member)

    client.post(act_url(listing, "resume"))

    listing.refresh_from_db()
    assert listing.status == Listing.Status.OPEN
    assert listing.expires_at > timezone.now() + timedelta(days=89)


def test_closed_listing_cannot_be_renewed_and_the_owner_is_told_why(client, member, listing):
    listing_close(listing=listing, member=member)
    before = snapshot(listing)
    client.force_login(member)

    response = client.post(act_url(listing, "renew"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("listing_detail", args=[listing.pk]), 302)]
    assert "A closed listing cannot be renewed; post a new one." in response.content.decode()
    assert snapshot(listing) == before


@pytest.mark.parametrize("action", ["pause", "resume"])
def test_closed_listing_cannot_be_paused_or_reopened(client, member, listing, action):
    listing_close(listing=listing, member=member)
    before = snapshot(listing)
    client.force_login(member)

    response = client.post(act_url(listing, action), follow=True)

    assert "This listing is closed and cannot be changed that way." in response.content.decode()
    assert snapshot(listing) == before


def test_pausing_twice_is_harmless(client, member, listing):
    client.force_login(member)

    client.post(act_url(listing, "pause"))
    before = snapshot(listing)
    again = client.post(act_url(listing, "pause"))

    assert again.status_code == 302
    assert snapshot(listing) == before


@pytest.mark.parametrize("action", ["pause", "resume", "close", "renew"])
def test_actions_refuse_get(client, member, listing, action):
    before = snapshot(listing)
    client.force_login(member)

    response = client.get(act_url(listing, action))

    assert response.status_code == 405
    assert snapshot(listing) == before


@pytest.mark.parametrize("action", ["pause", "resume", "close", "renew"])
def test_another_member_cannot_act_on_the_listing(client, listing, other_member, action):
    if action == "resume":
        listing_pause(listing=listing, member=listing.owner)
    before = snapshot(listing)
    client.force_login(other_member)

    response = client.post(act_url(listing, action))

    assert response.status_code == 404
    assert snapshot(listing) == before


@pytest.mark.parametrize("action", ["pause", "resume", "close", "renew"])
def test_anonymous_visitor_cannot_act_on_the_listing(client, listing, action):
    before = snapshot(listing)
    url = act_url(listing, action)

    response = client.post(url)

    assert response.status_code == 302
    assert response.url == login_url(url)
    assert snapshot(listing) == before


def test_unknown_action_is_not_found(client, member, listing):
    before = snapshot(listing)
    client.force_login(member)

    assert client.post(act_url(listing, "delete")).status_code == 404
    assert snapshot(listing) == before
