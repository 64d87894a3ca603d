"""Hostile and careless input, through the pages: it is shown as text, refused
with a form error or a clear page, and never answered with a 500.

* markup in every free-text field is escaped wherever the text is shown;
* odd search strings (SQL, wildcards, backslashes, NUL) give an ordinary page;
* a request body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with a 400 page,
  and a field over its length limit with a form error;
* after signing in, ``next`` can only lead to a page of this site.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode

from equitime.exchanges import services as exchange_services
from equitime.exchanges.models import Exchange, ExchangeMessage
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.members.tests.factories import PASSWORD
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Sign-in rate limits are counted in the cache: every test starts from none."""
    cache.clear()
    yield
    cache.clear()


def script(field: str) -> str:
    """Markup that would run if a page printed it raw; ``field`` tells them apart."""
    return f'<script>alert("{field}")</script><img src=x onerror="alert(1)">'


def escaped(field: str) -> str:
    return f"&lt;script&gt;alert(&quot;{field}&quot;)&lt;/script&gt;"


def assert_shown_escaped(response, *fields: str) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(" not in page
    assert "<img src=x onerror" not in page
    for field in fields:
        assert escaped(field) in page, f"{field} is not on {response.request['PATH_INFO']}"


@pytest.fixture
def area(db):
    return ImprovementArea.objects.first()


def make_offer(owner, area, **fields):
    fields.setdefault("title", "Survival analysis in R")
    fields.setdefault("description", "An hour on Kaplan-Meier curves.")
    fields.setdefault("benefit", "Better evidence on readmissions.")
    return listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        improvement_area=area,
        estimated_minutes=60,
        format=Format.REMOTE,
        **fields,
    )


def completed_exchange(provider, receiver, area) -> Exchange:
    offer = make_offer(provider, area)
    exchange = exchange_services.exchange_propose_from_listing(
        listing=offer, member=receiver, minutes=60, message="Tuesday?"
    )
    exchange = exchange_services.exchange_accept(exchange=exchange, member=provider)
    exchange = exchange_services.exchange_deliver(exchange=exchange, member=provider, minutes=60)
    return exchange_services.exchange_confirm(exchange=exchange, member=receiver)


# --- Markup is shown as text ---------------------------------------------------------


def test_markup_in_a_listing_is_escaped_wherever_it_is_shown(client, member, area):
    client.force_login(member)
    response = client.post(
        reverse("listing_create", kwargs={"kind": "offer"}),
        {
            "title": script("title"),
            "description": script("description"),
            "improvement_area": area.pk,
            "benefit": script("benefit"),
            "hours": "1",
            "format": Format.IN_PERSON,
            "place": script("place"),
            "languages": script("languages"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    listing = Listing.objects.get(owner=member)
    assert listing.title == script("title")

    every_field = ("title", "description", "benefit", "place", "languages")
    assert_shown_escaped(client.get(reverse("listing_detail", args=[listing.pk])), *every_field)
    assert_shown_escaped(client.get(reverse("listing_browse")), "title", "benefit", "place")
    assert_shown_escaped(
        client.get(reverse("listing_browse"), {"q": "alert"}, HTTP_HX_REQUEST="true"), "title"
    )
    assert_shown_escaped(client.get(reverse("listing_edit", args=[listing.pk])), *every_field)
    assert_shown_escaped(client.get(reverse("profile_detail", args=[member.pk])), "title")
    assert_shown_escaped(client.get(reverse("dashboard")), "title")


def test_markup_in_a_profile_is_escaped_wherever_it_is_shown(client, member, other_member):
    client.force_login(member)
    response = client.post(
        reverse("profile_edit"),
        {
            "display_name": script("name"),
            "organisation": "",
            "profession": script("profession"),
            "division": script("division"),
            "country": "GB",
            "time_zone": "Europe/London",
            "languages": script("languages"),
            "skills_offered": script("skills"),
            "availability": script("availability"),
            "preference": "either",
            "bio": script("bio"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    every_field = ("name", "profession", "division", "languages", "skills", "availability", "bio")
    assert_shown_escaped(client.get(reverse("profile_detail", args=[member.pk])), *every_field)
    assert_shown_escaped(client.get(reverse("profile_edit")), *every_field)
    # What colleagues see of them.
    client.force_login(other_member)
    assert_shown_escaped(client.get(reverse("profile_detail", args=[member.pk])), *every_field)
    assert_shown_escaped(
        client.get(reverse("member_directory")), "name", "profession", "division", "skills"
    )
    assert_shown_escaped(
        client.get(reverse("member_directory"), {"q": "alert"}, HTTP_HX_REQUEST="true"), "name"
    )


def test_markup_in_exchange_messages_and_thanks_is_escaped(client, member, other_member, area):
    exchange = completed_exchange(member, other_member, area)
    client.force_login(other_member)

    sent = client.post(
        reverse("exchange_act", args=[exchange.pk, "message"]), {"message-body": script("body")}
    )
    thanked = client.post(
        reverse("exchange_act", args=[exchange.pk, "thanks"]),
        {
            "thanks-message": script("thanks"),
            "thanks-impact": script("impact"),
            "thanks-show_on_profile": "on",
        },
    )

    assert sent.status_code == thanked.status_code == 302
    assert ExchangeMessage.objects.filter(exchange=exchange, body=script("body")).exists()
    assert_shown_escaped(
        client.get(reverse("exchange_detail", args=[exchange.pk])), "body", "thanks", "impact"
    )
    client.force_login(member)
    assert_shown_escaped(
        client.get(reverse("exchange_detail", args=[exchange.pk])), "body", "thanks", "impact"
    )
    assert_shown_escaped(
        client.get(reverse("profile_detail", args=[member.pk])), "thanks", "impact"
    )


def test_markup_in_a_direct_exchange_and_its_reasons_is_escaped(client, member, other_member, area):
    client.force_login(member)
    response = client.post(
        reverse("exchange_direct"),
        {
            "colleague": other_member.email,
            "direction": "gave",
            "title": script("title"),
            "improvement_area": area.pk,
            "benefit": script("benefit"),
            "hours": "1",
            "message": script("message"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    exchange = Exchange.objects.get(title=script("title"))
    client.force_login(other_member)
    declined = client.post(
        reverse("exchange_act", args=[exchange.pk, "decline"]), {"decline-reason": script("why")}
    )
    assert declined.status_code == 302

    assert_shown_escaped(
        client.get(reverse("exchange_detail", args=[exchange.pk])),
        "title",
        "benefit",
        "message",
        "why",
    )
    assert_shown_escaped(client.get(reverse("exchange_list")), "title")
    assert_shown_escaped(client.get(reverse("notification_list")), "title")


def test_markup_in_a_donation_memo_is_escaped(client, member, other_member):
    earn(member, 30)
    client.force_login(member)
    response = client.post(
        reverse("donate"),
        {"recipient": other_member.email, "hours": "0.5", "memo": script("memo")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Transfer.objects.get(memo=script("memo"))

    assert_shown_escaped(client.get(reverse("dashboard")), "memo")
    client.force_login(other_member)
    assert_shown_escaped(client.get(reverse("dashboard")), "memo")


# --- Odd searches -------------------------------------------------------------------

HOSTILE_SEARCHES = [
    "'; DROP TABLE members_member; --",
    "' OR '1'='1",
    "%",
    "_",
    "%_%",
    "\\",
    "\\'",
    "\x00",
    "run\x00chart",
    '"><script>alert(1)</script>',
    "𝔼𝕢𝕦𝕚𝕥𝕚𝕞𝕖 ß İ ﷽",
    "word " * 500,
    "x" * 10_000,
]


@pytest.mark.parametrize("url_name", ["listing_browse", "member_directory"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("query", HOSTILE_SEARCHES, ids=range(len(HOSTILE_SEARCHES)))
def test_hostile_searches_give_an_ordinary_page(client, member, area, url_name, htmx, query):
    make_offer(member, area, title="Run charts for QI")
    client.force_login(member)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client.get(reverse(url_name), {"q": query}, **headers)

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["listing_browse", "member_directory"])
def test_hostile_values_in_every_filter_give_an_ordinary_page(client, member, url_name):
    client.force_login(member)
    values = ["\x00", "'; DROP TABLE x; --", "%", "-1", "99999999999999999999999", "[]"]
    names = ["kind", "category", "skill", "area", "organisation_kind", "format", "language"]
    for value in values:
        query = dict.fromkeys([*names, "sort", "page", "q"], value)
        response = client.get(f"{reverse(url_name)}?{urlencode(query)}")
        assert response.status_code == 200, (value, response.status_code)


# --- Too much, or too long --------------------------------------------------------


def test_a_request_body_over_the_limit_is_refused_with_a_clear_page(client, member, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    client.force_login(member)
    url = reverse("listing_create", kwargs={"kind": "offer"})
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    as_form = client.post(
        url,
        urlencode({"title": "Run charts", "description": huge}),
        content_type="application/x-www-form-urlencoded",
    )
    as_multipart = client.post(url, {"title": "Run charts", "description": huge})

    for response in (as_form, as_multipart):
        assert response.status_code == 400
        page = response.content.decode()
        assert "We could not read that request" in page
        assert "too large" in page
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "field", "limit"),
    [
        ("listing", "title", 120),
        ("listing", "description", 4000),
        ("listing", "benefit", 250),
        ("profile", "bio", 2000),
        ("profile", "display_name", 100),
        ("donate", "memo", 200),
        ("message", "message-body", 4000),
    ],
)
def test_over_long_values_get_a_form_error(
    client, member, other_member, area, url_name, field, limit
):
    exchange = exchange_services.exchange_propose_from_listing(
        listing=make_offer(other_member, area), member=member, minutes=60, message="Hello"
    )
    forms = {
        "listing": (
            reverse("listing_create", kwargs={"kind": "offer"}),
            {
                "title": "Run charts",
                "description": "Help with run charts.",
                "improvement_area": area.pk,
                "benefit": "Quicker learning.",
                "hours": "1",
                "format": Format.REMOTE,
            },
        ),
        "profile": (
            reverse("profile_edit"),
            {
                "display_name": "Amina Okafor",
                "country": "GB",
                "time_zone": "Europe/London",
                "preference": "either",
            },
        ),
        "donate": (reverse("donate"), {"hours": "0.5"}),
        "message": (reverse("exchange_act", args=[exchange.pk, "message"]), {}),
    }
    url, data = forms[url_name]
    client.force_login(member)

    response = client.post(url, {**data, field: "y" * (limit + 1)})

    assert response.status_code in (200, 422)
    assert f"Ensure this value has at most {limit} characters" in response.content.decode()
    assert not Listing.objects.filter(owner=member).exists()
    assert not Transfer.objects.filter(kind=Transfer.Kind.DONATION).exists()
    assert not ExchangeMessage.objects.filter(body__startswith="yyy").exists()


def test_a_nul_byte_in_a_form_is_a_form_error_not_a_500(client, member, area):
    client.force_login(member)

    response = client.post(
        reverse("listing_create", kwargs={"kind": "offer"}),
        {
            "title": "Run\x00charts",
            "description": "Help\x00",
            "improvement_area": area.pk,
            "benefit": "Quicker learning.",
            "hours": "1",
            "format": Format.REMOTE,
        },
    )

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Listing.objects.exists()


# --- Where sign-in leads ------------------------------------------------------------

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example/dashboard/",
    "//evil.example",
    "//evil.example/%2F..",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " https://evil.example/",
]


@pytest.mark.parametrize("target", OFF_SITE)
@pytest.mark.parametrize("where", ["query", "form"])
def test_sign_in_never_leads_off_the_site(client, member, target, where):
    url = reverse("account_login")
    data = {"login": member.email, "password": PASSWORD}
    if where == "query":
        url = f"{url}?{urlencode({'next': target})}"
    else:
        data["next"] = target

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_sign_in_does_follow_next_to_a_page_of_this_site(client, member):
    url = f"{reverse('account_login')}?{urlencode({'next': '/listings/?q=R'})}"

    response = client.post(url, {"login": member.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/listings/?q=R"
