"""Profile pages: colleagues see a member's profile; only the member edits it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from equitime.members.models import Member, Profile
from equitime.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    """A complete, valid profile form as a browser would post it."""
    data = {
        "display_name": "Dr Amina Okafor",
        "organisation": "",
        "profession": "Consultant anaesthetist",
        "division": "Perioperative medicine",
        "country": "GB",
        "time_zone": "Europe/London",
        "languages": "English, Yoruba",
        "skills_offered": "coaching, R, run charts",
        "availability": "Tuesday afternoons",
        "preference": Profile.Preference.REMOTE,
        "bio": "I lead our theatre safety work.",
    }
    data.update(overrides)
    return data


def profile_snapshot(member):
    member.refresh_from_db()
    profile = Profile.objects.get(member=member)
    return (
        member.display_name,
        profile.organisation_id,
        profile.profession,
        profile.division,
        profile.skills_offered,
        profile.languages,
        profile.bio,
        profile.availability,
        profile.preference,
        profile.updated_at,
    )


# --- Profile detail -----------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, member):
    url = reverse("profile_detail", args=[member.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_member_sees_a_colleague_profile(client, member, other_member):
    organisation = OrganisationFactory(name="Bristol City Council")
    profile = other_member.profile
    profile.organisation = organisation
    profile.profession = "Social worker"
    profile.skills_offered = ["safeguarding", "motivational interviewing"]
    profile.save()
    client.force_login(member)

    response = client.get(reverse("profile_detail", args=[other_member.pk]))

    assert response.status_code == 200
    assert response.context["profile_member"] == other_member
    assert response.context["is_me"] is False
    content = response.content.decode()
    assert "Ben Carter" in content
    assert "Social worker" in content
    assert "Bristol City Council" in content
    assert "<li>Motivational interviewing</li>" in content
    # Only the owner is offered the edit link.
    assert f'href="{reverse("profile_edit")}"' not in content


def test_member_sees_an_edit_link_on_their_own_profile(client, member):
    client.force_login(member)

    response = client.get(reverse("profile_detail", args=[member.pk]))

    assert response.context["is_me"] is True
    assert f'href="{reverse("profile_edit")}"' in response.content.decode()


def test_unknown_member_is_404(client, member):
    client.force_login(member)

    response = client.get(reverse("profile_detail", args=[member.pk + 1000]))

    assert response.status_code == 404


def test_inactive_member_is_404(client, member, other_member):
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])
    client.force_login(member)

    response = client.get(reverse("profile_detail", args=[other_member.pk]))

    assert response.status_code == 404
    assert b"Ben Carter" not in response.content


@pytest.mark.parametrize("url_name", ["profile_detail", "profile_edit"])
def test_member_made_by_createsuperuser_can_open_their_profile_pages(client, monkeypatch, url_name):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long admin passphrase")
    call_command(
        "createsuperuser",
        interactive=False,
        email="admin@example.nhs.uk",
        display_name="Site Admin",
        verbosity=0,
    )
    admin = Member.objects.get(email="admin@example.nhs.uk")
    client.force_login(admin)
    url = reverse(url_name, args=[admin.pk]) if url_name == "profile_detail" else reverse(url_name)

    response = client.get(url)

    assert response.status_code == 200
    assert "Site Admin" in response.content.decode()


# --- Profile edit -------------------------------------------------------------


def test_edit_page_shows_the_owner_current_profile(client, member):
    profile = member.profile
    profile.skills_offered = ["survival analysis", "R"]
    profile.save()
    client.force_login(member)

    response = client.get(reverse("profile_edit"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.instance == profile
    assert form.initial["display_name"] == "Amina Okafor"
    content = response.content.decode()
    assert 'value="Amina Okafor"' in content
    assert 'value="survival analysis, R"' in content


def test_owner_updates_their_profile(client, member):
    organisation = OrganisationFactory.create(name="Sheffield Health and Social Care")
    client.force_login(member)

    response = client.post(
        reverse("profile_edit"),
        profile_data(
            organisation=str(organisation.pk),
            skills_offered="coaching,  R , run charts, r, Coaching,,",
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("profile_detail", args=[member.pk])
    member.refresh_from_db()
    profile = Profile.objects.get(member=member)
    assert member.display_name == "Dr Amina Okafor"
    assert profile.organisation == organisation
    assert profile.profession == "Consultant anaesthetist"
    assert profile.division == "Perioperative medicine"
    assert profile.skills_offered == ["coaching", "R", "run charts"]
    assert profile.languages == ["English", "Yoruba"]
    assert profile.preference == Profile.Preference.REMOTE
    assert profile.bio == "I lead our theatre safety work."
    shown = client.get(response.url)
    assert "Your profile is saved." in shown.content.decode()
    assert "<li>Run charts</li>" in shown.content.decode()


def test_owner_can_clear_skills(client, member):
    profile = member.profile
    profile.skills_offered = ["coaching"]
    profile.save()
    client.force_login(member)

    client.post(reverse("profile_edit"), profile_data(skills_offered=""))

    profile.refresh_from_db()
    assert profile.skills_offered == []


def test_edit_page_only_ever_edits_the_poster_own_profile(client, member, other_member):
    before = profile_snapshot(member)
    client.force_login(other_member)

    # Ben posts Amina's details, and tries to name her as the target every way he can.
    response = client.post(
        reverse("profile_edit") + f"?pk={member.pk}",
        profile_data(
            display_name="Amina Okafor (edited by Ben)",
            bio="Ben was here",
            member=str(member.pk),
            member_id=str(member.pk),
            pk=str(member.pk),
            id=str(member.pk),
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("profile_detail", args=[other_member.pk])
    assert profile_snapshot(member) == before
    other_member.refresh_from_db()
    assert other_member.display_name == "Amina Okafor (edited by Ben)"
    assert other_member.profile.bio == "Ben was here"
    assert Profile.objects.get(member=member).member_id == member.pk


def test_there_is_no_edit_url_for_someone_else(client, member, other_member):
    client.force_login(other_member)

    response = client.get(f"/members/{member.pk}/edit/")

    assert response.status_code == 404


def test_anonymous_get_of_the_edit_page_is_sent_to_sign_in(client):
    response = client.get(reverse("profile_edit"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('profile_edit')}"


def test_anonymous_post_is_sent_to_sign_in_and_changes_nothing(client, member):
    before = profile_snapshot(member)

    response = client.post(reverse("profile_edit"), profile_data(display_name="Anonymous edit"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert profile_snapshot(member) == before
    assert not Member.objects.filter(display_name="Anonymous edit").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", ""),
        ("display_name", "    "),
        ("display_name", "x" * 101),
        ("profession", "x" * 101),
        ("division", "x" * 101),
        ("availability", "x" * 201),
        ("bio", "x" * 2001),
        ("skills_offered", "x" * 1001),
        ("skills_offered", ", ".join(f"skill {n}" for n in range(21))),
        ("time_zone", "Mars/Olympus_Mons"),
        ("country", "XX"),
        ("preference", "teleport"),
        ("organisation", "999999"),
    ],
)
def test_invalid_input_is_a_form_error_and_changes_nothing(client, member, field, value):
    before = profile_snapshot(member)
    client.force_login(member)

    response = client.post(reverse("profile_edit"), profile_data(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert f'href="#id_{field}"' in content
    assert profile_snapshot(member) == before


def test_edit_page_refuses_other_methods(client, member):
    client.force_login(member)

    response = client.put(reverse("profile_edit"))

    assert response.status_code == 405


def test_html_in_bio_and_name_is_shown_escaped(client, member, other_member):
    client.force_login(other_member)
    client.post(
        reverse("profile_edit"),
        profile_data(
            display_name="<b>Ben</b>",
            bio='<script>alert("x")</script>\n<img src=x onerror=alert(1)>',
            skills_offered="<i>coaching</i>",
        ),
    )
    client.force_login(member)

    response = client.get(reverse("profile_detail", args=[other_member.pk]))

    content = response.content.decode()
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<b>Ben</b>" not in content
    assert "<i>coaching</i>" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;img src=x" in content
    assert "&lt;b&gt;Ben&lt;/b&gt;" in content
    assert "<li>&lt;i&gt;coaching&lt;/i&gt;</li>" in content


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("availability", "Tuesdays, £30/hour", "No money changes hands"),
        ("bio", "Pay me via PayPal", "No money changes hands"),
        ("bio", "My patient, NHS number 943 476 5919, says hello", "could identify a patient"),
    ],
)
def test_a_rule_refusal_is_a_field_error_shown_with_the_others(client, member, field, value, says):
    """Issue 12 §5: a refusal by a rule sits on its field, marked invalid and
    linked from the summary, together with the form's other errors."""
    before = profile_snapshot(member)
    client.force_login(member)

    response = client.post(
        reverse("profile_edit"), profile_data(**{field: value, "time_zone": "Mars/Olympus"})
    )

    errors = response.context["form"].errors
    assert {field, "time_zone"} <= set(errors)
    assert says in errors[field][0]
    content = response.content.decode()
    assert f'href="#id_{field}"' in content
    tag = content[content.index(f'id="id_{field}"') - 400 :]
    tag = tag[tag.rindex("<", 0, 400) : tag.index(">", 400)]
    assert 'aria-invalid="true"' in tag
    assert f"id_{field}_error" in tag
    assert profile_snapshot(member) == before
