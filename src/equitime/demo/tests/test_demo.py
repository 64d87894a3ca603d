"""The demo command. Most checks read one demo community, built once for the
class; the scenarios that change it, or need it absent, build their own."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TestCase, override_settings

from equitime.core.rules import money_talk
from equitime.demo import content as demo
from equitime.demo import coordination, history
from equitime.exchanges.models import (
    Exchange,
    ExchangeEvent,
    ExchangeMessage,
    Reflection,
    Status,
    Thanks,
)
from equitime.exchanges.services import (
    can_moderate,
    exchange_accept,
    exchange_decline,
    exchange_moves_for,
)
from equitime.ledger.models import Transfer
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Listing
from equitime.listings.services import listing_resume
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import profile_update
from equitime.notifications.models import Notification
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

# The coordinator and the care assistant they act for come from demo.coordination.
DEMO_EMAILS = (
    [spec.email for spec in demo.MEMBERS]
    + [demo.ADMIN_EMAIL]
    + [spec.email for spec in coordination.MEMBERS]
)
# The members the command's summary counts: the demo's own and its administrator.
BUILT_MEMBERS = len(demo.MEMBERS) + 1
# What the demo's coordinator recorded: one listing and one exchange for the care assistant.
# And its history: past offers and the exchanges made on them or without a listing.
LISTINGS = len(demo.LISTINGS) + coordination.LISTINGS_MADE + history.LISTINGS_MADE
EXCHANGES = len(demo.EXCHANGES) + coordination.EXCHANGES_MADE + history.EXCHANGES_MADE
Verb = ExchangeEvent.Verb
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        Member,
        Organisation,
        Transfer,
        Listing,
        Exchange,
        ExchangeEvent,
        ExchangeMessage,
        Thanks,
        Reflection,
        Notification,
    )
    return {model.__name__: model.objects.count() for model in models}


def demo_exchange(number: int) -> Exchange:
    return Exchange.objects.get(request_key=f"demo-exchange:{number}")


def email(handle: str) -> str:
    return f"{handle}@{demo.DEMO_DOMAIN}"


def member(handle: str) -> Member:
    return Member.objects.get(email=email(handle))


def account_totals() -> list[tuple]:
    return list(
        Member.objects.order_by("email").values_list(
            "email", "account__posted_credits", "account__posted_debits", "account__pending_debits"
        )
    )


class TestDemoCommunity(TestCase):
    output: str

    @classmethod
    def setUpTestData(cls):
        # The conftest's fast hasher is a per-test fixture; this runs before it.
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            cls.output = run_demo()

    # --- The community ---------------------------------------------------------

    def test_first_run_creates_the_whole_community(self):
        output = self.output
        assert Organisation.objects.count() == len(demo.ORGANISATIONS)
        assert set(Member.objects.values_list("email", flat=True)) == set(DEMO_EMAILS)
        assert Transfer.objects.filter(kind=Transfer.Kind.DONATION).count() == len(demo.DONATIONS)
        assert Listing.objects.count() == LISTINGS
        assert Exchange.objects.count() == EXCHANGES
        for label, total in (
            ("Organisations", len(demo.ORGANISATIONS)),
            ("Members", BUILT_MEMBERS),
            ("Donations", len(demo.DONATIONS)),
            ("Listings", len(demo.LISTINGS)),
            ("Exchanges", len(demo.EXCHANGES)),
        ):
            assert f"{label}: {total} ({total} new)" in output
        assert (
            "by status: proposed 3, accepted 3, declined 1, hours logged 2, completed 9, "
            "disputed 1, cancelled 2, closed without credits 1" in output
        )
        assert "skipped" not in output

    def test_second_run_creates_nothing_and_moves_no_credits(self):
        before = counts()
        balances = account_totals()
        statuses = dict(Exchange.objects.values_list("request_key", "status"))

        output = run_demo()

        assert counts() == before
        assert account_totals() == balances
        assert dict(Exchange.objects.values_list("request_key", "status")) == statuses
        assert output.count("(0 new)") == 5
        assert "skipped" not in output

    def test_donations_are_quarter_hours_and_some_go_to_the_pool(self):
        donations = Transfer.objects.filter(kind=Transfer.Kind.DONATION, key__startswith="demo-")
        assert all(d.amount % 15 == 0 for d in donations)
        assert donations.filter(credit_account__code="pool").count() >= 2
        assert donations.filter(credit_account__member__isnull=False).exists()

    def test_output_gives_sign_in_details(self):
        assert demo.LOGIN_URL in self.output
        assert demo.SIGN_IN_EMAIL in self.output
        assert demo.ADMIN_EMAIL in self.output
        assert demo.MODERATOR_EMAIL in self.output
        assert demo.DEMO_PASSWORD in self.output

    def test_sign_in_link_is_on_the_address_served_on(self):
        """`make run PORT=8101` sets EQUITIME_SITE_URL; the command prints that."""
        with override_settings(EQUITIME_SITE_URL="http://127.0.0.1:8101"):
            output = run_demo()

        assert "Sign in at http://127.0.0.1:8101/accounts/login/" in output
        assert ":8000" not in output

    def test_printed_details_sign_in(self):
        for address in (demo.SIGN_IN_EMAIL, demo.MODERATOR_EMAIL, demo.ADMIN_EMAIL):
            assert Client().login(email=address, password=demo.DEMO_PASSWORD), address
        admin = Member.objects.get(email=demo.ADMIN_EMAIL)
        assert admin.is_staff and admin.is_superuser
        assert not Member.objects.filter(is_staff=True).exclude(email=demo.ADMIN_EMAIL).exists()

    def test_demo_profiles_are_valid(self):
        profiles = Profile.objects.select_related("member", "organisation")
        assert profiles.count() == len(DEMO_EMAILS)
        for profile in profiles:
            profile.full_clean()
        countries = {str(p.country) for p in profiles}
        assert {"GB", "IE", "NL", "KE", "IN", "AU", "CA"} <= countries
        kinds = set(Organisation.objects.values_list("kind", flat=True))
        assert len(kinds) >= 8

    def test_profiles_pick_skills_from_the_taxonomy(self):
        for spec in demo.MEMBERS:
            profile = Profile.objects.get(member__email=spec.email)
            chosen = set(profile.skills.values_list("slug", flat=True))
            assert chosen == set(demo.PROFILE_SKILLS[spec.handle]), spec.handle

    # --- Listings ----------------------------------------------------------------

    def test_listings_span_the_taxonomy_and_organisations(self):
        listings = Listing.objects.all()
        categories = set(
            Skill.objects.filter(listings__in=listings).values_list("category__slug", flat=True)
        )
        assert len(categories) >= 8
        areas = set(listings.values_list("improvement_area__slug", flat=True))
        assert len(areas) >= 6
        organisations = set(listings.values_list("owner__profile__organisation", flat=True))
        assert len(organisations) >= 8
        assert set(listings.values_list("kind", flat=True)) == set(Listing.Kind.values)
        assert listings.filter(status=Listing.Status.PAUSED).count() >= 2
        closed = listings.get(status=Listing.Status.CLOSED)
        assert closed.closed_at and closed.exchanges.filter(status=Status.COMPLETED).exists()
        for listing in listings:
            assert listing.skills.exists(), listing.title

    # --- Exchanges ---------------------------------------------------------------

    def test_there_is_an_exchange_in_every_status(self):
        # Every status but a moderator's reversal of a payment, which came after
        # the demo's data: showing one would change the community the demo builds.
        every_status = set(Status.values) - {Status.REVERSED}
        assert set(Exchange.objects.values_list("status", flat=True)) == every_status
        for spec in demo.EXCHANGES:
            assert demo_exchange(spec.number).status == spec.outcome, spec.key

    def test_credits_are_held_posted_and_released_as_the_lifecycle_says(self):
        for exchange in Exchange.objects.select_related("hold", "payment"):
            if exchange.status in (Status.PROPOSED, Status.DECLINED):
                assert exchange.hold is None
            elif exchange.status in (Status.ACCEPTED, Status.DELIVERED, Status.DISPUTED):
                assert exchange.hold is not None
                assert exchange.hold.state == Transfer.State.PENDING
                assert not hasattr(exchange.hold, "resolution")
            elif exchange.status == Status.COMPLETED:
                assert exchange.payment is not None
                assert exchange.payment.state == Transfer.State.POSTED
            elif exchange.hold is not None:  # cancelled after acceptance, or voided
                assert exchange.hold.resolution.state == Transfer.State.VOIDED
        assert Exchange.objects.filter(status=Status.CANCELLED, hold__isnull=False).exists()
        partly_used = demo_exchange(8)
        assert partly_used.payment is not None and partly_used.hold is not None
        assert (partly_used.payment.amount, partly_used.hold.amount) == (45, 60)
        report = verify_ledger()
        assert report.ok, report.problems

    def test_moderators_settled_two_disputes_and_one_waits(self):
        moderator = member(demo.MODERATOR)
        admin = Member.objects.get(email=demo.ADMIN_EMAIL)
        assert not moderator.is_staff
        moderators = {m.email for m in Member.objects.all() if can_moderate(m)}
        assert moderators == {demo.ADMIN_EMAIL, demo.MODERATOR_EMAIL}

        voided = Exchange.objects.get(status=Status.VOIDED)
        assert voided.resolved_by == moderator and voided.resolution_note
        resolved = Exchange.objects.get(status=Status.COMPLETED, resolved_by__isnull=False)
        assert resolved.resolved_by == admin
        assert resolved.payment is not None
        assert (resolved.logged_minutes, resolved.payment.amount) == (90, 60)
        waiting = Exchange.objects.get(status=Status.DISPUTED)
        assert Verb.RESOLVE_POST in exchange_moves_for(exchange=waiting, member=moderator)

    def test_sign_in_member_finds_the_loop_waiting_for_her(self):
        amina = member("amina.okafor")
        hers = Exchange.objects.filter(provider=amina) | Exchange.objects.filter(receiver=amina)
        moves = [exchange_moves_for(exchange=exchange, member=amina) for exchange in hers]
        assert any(Verb.ACCEPT in m for m in moves)
        assert any(Verb.CONFIRM in m for m in moves)
        assert Exchange.objects.filter(proposed_by=amina, status=Status.PROPOSED).exists()
        assert Thanks.objects.filter(recipient=amina).exists()
        assert Notification.objects.filter(recipient=amina, read_at__isnull=True).exists()

    def test_completed_exchanges_carry_the_thanks_and_reflections_the_demo_intends(self):
        for spec in demo.EXCHANGES:
            exchange = demo_exchange(spec.number)
            authors = {t.author.email for t in exchange.thanks.all()}
            assert authors == {email(t.author) for t in spec.thanks}, spec.key
            reflections = {r.author.email for r in exchange.reflections.all()}
            assert reflections == {email(h) for h, *_parts in spec.reflections}, spec.key
        # Amina's in the stories is a whole reflective account, for her CPD record.
        stories = Exchange.objects.exclude(request_key__startswith="demo-history:")
        amina = Reflection.objects.get(exchange__in=stories, author__email=email("amina.okafor"))
        assert amina.learned and amina.practice_change
        assert "NMC Code" in amina.standards
        # The stories' every completed exchange is thanked (the history's, two in three).
        for exchange in stories.filter(status=Status.COMPLETED):
            assert exchange.thanks.exists(), exchange.request_key
        assert Thanks.objects.exclude(impact="").exists()

    def test_exchanges_have_conversations_and_one_is_direct(self):
        direct = (
            Exchange.objects.filter(recorded_by__isnull=True)
            .exclude(request_key__startswith="demo-history:")
            .get(listing__isnull=True)
        )
        assert direct.status == Status.COMPLETED
        assert ExchangeMessage.objects.count() == sum(
            bool(spec.message) + len(spec.replies) for spec in demo.EXCHANGES
        )
        assert Exchange.objects.get(status=Status.DECLINED).decline_reason

    def test_the_history_spans_months_organisations_areas_and_skills(self):
        past = Exchange.objects.filter(request_key__startswith="demo-history:")
        assert past.count() == history.EXCHANGES_MADE
        assert set(past.values_list("status", flat=True)) == {Status.COMPLETED}
        months = {e.completed_at.strftime("%Y-%m") for e in past if e.completed_at}
        assert len(months) >= 8
        # The ledger's dates agree with the exchange's: held on acceptance, paid on completion.
        for exchange in past.select_related("hold", "payment"):
            assert exchange.payment is not None and exchange.hold is not None
            assert exchange.payment.created_at == exchange.completed_at
            assert exchange.hold.created_at == exchange.accepted_at
            assert exchange.created_at < exchange.accepted_at < exchange.completed_at
        organisations = set(past.values_list("provider__profile__organisation", flat=True))
        assert len(organisations) >= 8
        assert len(set(past.values_list("improvement_area", flat=True))) >= 8
        assert past.filter(listing__skills__isnull=False).distinct().count() >= 30
        thanks = Thanks.objects.filter(exchange__in=past)
        assert thanks.exclude(impact="").filter(show_on_profile=True).exists()
        assert thanks.filter(show_on_profile=False).exists()
        amina = Member.objects.get(email=demo.SIGN_IN_EMAIL)
        assert Reflection.objects.filter(exchange__in=past, author=amina).count() >= 12
        # Nothing of the past waits unread or is e-mailed today.
        assert not Notification.objects.filter(exchange__in=past, read_at__isnull=True).exists()

    def test_five_organisations_have_six_members_or_more(self):
        from django.db.models import Count

        sizes = Organisation.objects.annotate(n=Count("profiles")).filter(n__gte=6)
        assert sizes.count() >= 4
        assert len({str(o.country) for o in sizes}) >= 3

    def test_the_history_leaves_every_balance_as_it_found_it(self):
        """Each ring gives and receives the same: the sum per member is nought."""
        past = Exchange.objects.filter(request_key__startswith="demo-history:")
        net: dict[int, int] = {}
        for exchange in past.select_related("payment"):
            assert exchange.payment is not None
            net[exchange.provider_id] = net.get(exchange.provider_id, 0) + exchange.payment.amount
            net[exchange.receiver_id] = net.get(exchange.receiver_id, 0) - exchange.payment.amount
        assert set(net.values()) == {0}

    def test_most_exchanges_cross_organisations(self):
        exchanges = Exchange.objects.select_related("provider__profile", "receiver__profile")
        crossing = [
            e
            for e in exchanges
            if e.provider.profile.organisation_id != e.receiver.profile.organisation_id
        ]
        assert len(crossing) >= 0.8 * len(exchanges)

    def test_the_moderation_queue_has_a_report_and_a_dispute(self):
        from equitime.moderation.models import ListingFlag

        report = ListingFlag.objects.get()
        assert report.status == ListingFlag.Status.OPEN
        assert report.flagged_by is not None  # the demo's report is a member's
        assert report.listing.owner.email != report.flagged_by.email
        assert Exchange.objects.filter(status=Status.DISPUTED).exists()


# --- The demo's own text and references, without building it ---------------------


def test_demo_text_stays_within_the_rules():
    texts = [
        text for spec in demo.LISTINGS for text in (spec.title, spec.description, spec.benefit)
    ]
    for spec in demo.EXCHANGES:
        texts += [spec.message, spec.reason, *(text for _author, text in spec.replies)]
        texts += [t.message for t in spec.thanks] + [t.impact for t in spec.thanks]
        if spec.resolution:
            texts.append(spec.resolution.note)
        if spec.direct:
            texts += [spec.direct.title, spec.direct.benefit]
    assert [text for text in texts if money_talk(text)] == []
    assert all(len(spec.title) <= 120 and len(spec.benefit) <= 250 for spec in demo.LISTINGS)


def test_demo_references_exist():
    handles = {spec.handle for spec in demo.MEMBERS}
    assert set(demo.PROFILE_SKILLS) == handles
    slugs = {slug for skills in demo.PROFILE_SKILLS.values() for slug in skills}
    slugs |= {slug for spec in demo.LISTINGS for slug in spec.skills}
    assert slugs <= set(Skill.objects.values_list("slug", flat=True))
    areas = {spec.area for spec in demo.LISTINGS}
    areas |= {spec.direct.area for spec in demo.EXCHANGES if spec.direct}
    assert areas <= set(ImprovementArea.objects.values_list("slug", flat=True))
    listing_keys = [spec.key for spec in demo.LISTINGS]
    assert len(set(listing_keys)) == len(listing_keys)
    numbers = [spec.number for spec in demo.EXCHANGES]
    assert len(set(numbers)) == len(numbers)
    for spec in demo.EXCHANGES:
        assert spec.listing in listing_keys or spec.direct, spec.key
        # Small enough that every receiver can hold it from the welcome gift.
        assert spec.minutes <= 90 and spec.minutes % 15 == 0, spec.key


def test_demo_password_passes_the_password_validators():
    from django.contrib.auth.password_validation import validate_password

    for address in (demo.SIGN_IN_EMAIL, demo.ADMIN_EMAIL):
        validate_password(demo.DEMO_PASSWORD, Member(email=address, display_name="Demo"))


# --- Scenarios that build their own demo --------------------------------------------


def test_two_runs_give_one_welcome_gift_each_and_keep_the_ledger_consistent(settings):
    settings.EQUITIME_WELCOME_GIFT_MINUTES = 120
    run_demo()
    run_demo()

    for address in DEMO_EMAILS:
        gifts = Transfer.objects.filter(
            kind=Transfer.Kind.WELCOME_GIFT, credit_account__member__email=address
        )
        assert [gift.amount for gift in gifts] == [120], address
    report = verify_ledger()
    assert report.ok, report.problems


def test_a_second_run_keeps_what_people_changed_since():
    run_demo()
    amina = member("amina.okafor")
    profile_update(
        member=amina,
        display_name=amina.display_name,
        skills=[Skill.objects.get(slug="mindfulness")],
    )
    exchange_accept(exchange=demo_exchange(5), member=amina)
    exchange_decline(
        exchange=demo_exchange(7), member=member("olivia.brennan"), reason="On leave, sorry."
    )
    paused = Listing.objects.filter(status=Listing.Status.PAUSED).first()
    assert paused is not None
    listing_resume(listing=paused, member=paused.owner)
    before = counts()

    output = run_demo()

    assert "skipped" not in output
    assert counts() == before
    assert list(amina.profile.skills.values_list("slug", flat=True)) == ["mindfulness"]
    assert demo_exchange(5).status == Status.ACCEPTED
    assert demo_exchange(7).status == Status.DECLINED
    paused.refresh_from_db()
    assert paused.status == Listing.Status.OPEN
    assert verify_ledger().ok


def test_members_short_of_credits_are_skipped_with_a_note(settings):
    settings.EQUITIME_WELCOME_GIFT_MINUTES = 30

    output = run_demo()
    again = run_demo()

    assert "skipped demo-exchange:" in output and "credits available" in output
    assert Exchange.objects.count() == EXCHANGES
    assert not Exchange.objects.filter(status=Status.COMPLETED).exists()
    assert f"Exchanges: {len(demo.EXCHANGES)} (0 new)" in again
    report = verify_ledger()
    assert report.ok, report.problems


def test_an_existing_member_with_a_demo_address_is_left_alone(make_member):
    existing = make_member(email=demo.SIGN_IN_EMAIL, display_name="Someone Else")

    output = run_demo()

    existing.refresh_from_db()
    assert existing.display_name == "Someone Else"
    assert f"Members: {BUILT_MEMBERS} ({BUILT_MEMBERS - 1} new)" in output
    assert verify_ledger().ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_notifications_stay_on_the_site():
    # As from the command line: the demo's own transaction is the outermost,
    # so the e-mails queued for after its commit meet the dummy back end.
    run_demo()

    assert Notification.objects.filter(recipient__email=demo.SIGN_IN_EMAIL).exists()
    assert mail.outbox == []


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        run_demo()
    assert not Member.objects.exists()
