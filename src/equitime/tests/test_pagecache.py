"""Whole pages kept per member, forgotten on any write that a page can show."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from equitime.api.models import ApiToken
from equitime.api.services import api_token_create, api_token_revoke
from equitime.core import pagecache
from equitime.core.pagecache import HIT_HEADER, generation, written_table
from equitime.listings.models import Listing
from equitime.listings.tests.test_browse_page import shown
from equitime.members.models import Profile
from equitime.notifications.models import Notification

BROWSE = reverse("listing_browse")
DASHBOARD = reverse("dashboard")


def hit(response) -> bool:
    return response.get(HIT_HEADER) == "hit"


def sign_in(client, member):
    """Signed in, with the CSRF cookie a browser gets from its first page:
    until the browser holds it, pages are built fresh and not kept."""
    client.force_login(member)
    client.get(reverse("profile_edit"))
    assert settings.CSRF_COOKIE_NAME in client.cookies


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "listings_listing" ("title") VALUES (%s)', "listings_listing"),
        ("INSERT OR IGNORE INTO listings_listing VALUES (1)", "listings_listing"),
        ('UPDATE "ledger_account" SET "closed_at" = %s', "ledger_account"),
        ('  DELETE FROM "community_notification" WHERE id = 1', "community_notification"),
        ('UPDATE "api_apitoken" SET "revoked_at" = %s WHERE "id" = %s', "api_apitoken"),
        ('UPDATE "api_apitoken" SET "last_used_at" = %s WHERE "api_apitoken"."id" = %s', None),
        ('SELECT * FROM "listings_listing"', None),
        ('SAVEPOINT "s1"', None),
    ],
)
def test_the_table_a_statement_writes_is_read_from_its_sql(sql, table):
    assert written_table(sql) == table


@pytest.mark.django_db
class TestPages:
    def test_a_page_seen_again_with_nothing_changed_comes_from_the_cache(self, client, member):
        sign_in(client, member)
        first = client.get(DASHBOARD)
        again = client.get(DASHBOARD)
        assert first.status_code == again.status_code == 200
        assert not hit(first) and hit(again)
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]

    def test_a_new_listing_is_on_the_next_browse_page(self, client, member, make_listing):
        sign_in(client, member)
        make_listing(member, title="Survival analysis in R")
        assert shown(client.get(BROWSE)) == ["Survival analysis in R"]
        assert hit(client.get(BROWSE))
        make_listing(member, title="Run charts for ward audits")
        after = client.get(BROWSE)
        assert not hit(after)
        assert set(shown(after)) == {"Survival analysis in R", "Run charts for ward audits"}

    def test_a_bulk_update_that_skips_signals_still_forgets_the_pages(
        self,
        client,
        member,
        make_listing,
    ):
        sign_in(client, member)
        make_listing(member, title="Survival analysis in R")
        client.get(BROWSE)
        Listing.objects.update(status=Listing.Status.PAUSED)
        assert shown(client.get(BROWSE)) == []

    def test_raw_sql_forgets_the_pages_too(self, client, member):
        sign_in(client, member)
        client.get(DASHBOARD)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE members_profile SET profession = %s WHERE member_id = %s",
                ["Health visitor", member.pk],
            )
        assert not hit(client.get(DASHBOARD))

    def test_each_member_gets_their_own_page(self, client, member, other_member):
        sign_in(client, member)
        client.get(DASHBOARD)
        sign_in(client, other_member)
        theirs = client.get(DASHBOARD)
        assert not hit(theirs)
        assert "Ben Carter" in theirs.content.decode()
        assert "Amina Okafor" not in theirs.content.decode()

    def test_a_new_session_does_not_reuse_the_old_ones_page(self, client, member):
        sign_in(client, member)
        client.get(DASHBOARD)
        client.logout()
        sign_in(client, member)
        assert not hit(client.get(DASHBOARD))

    def test_a_browser_without_the_csrf_cookie_gets_a_fresh_page(self, client, member):
        client.force_login(member)
        client.get(DASHBOARD)
        assert not hit(client.get(DASHBOARD))  # stored once the cookie is held
        assert hit(client.get(DASHBOARD))
        del client.cookies[settings.CSRF_COOKIE_NAME]
        assert not hit(client.get(DASHBOARD))

    def test_signed_out_visitors_are_sent_to_sign_in_never_served_a_page(self, client, member):
        sign_in(client, member)
        client.get(DASHBOARD)
        client.logout()
        response = client.get(DASHBOARD)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_a_page_with_a_message_waiting_is_built_fresh_and_shows_it(self, client, member):
        sign_in(client, member)
        client.get(DASHBOARD)
        assert hit(client.get(DASHBOARD))
        client.post(reverse("notifications_read"))  # leaves "nothing new to mark as read"
        response = client.get(DASHBOARD)
        assert not hit(response)
        assert "There was nothing new to mark as read." in response.content.decode()
        again = client.get(DASHBOARD)
        assert "There was nothing new to mark as read." not in again.content.decode()

    def test_htmx_fragments_are_kept_apart_from_whole_pages(self, client, member):
        sign_in(client, member)
        whole = client.get(BROWSE)
        part = client.get(BROWSE, headers={"HX-Request": "true", "HX-Target": "results"})
        assert not hit(part)
        assert part.content != whole.content

    def test_pages_that_did_not_opt_in_are_never_cached(self, client, member):
        sign_in(client, member)
        client.get(reverse("profile_edit"))
        assert not hit(client.get(reverse("profile_edit")))

    def test_writes_no_page_shows_leave_the_cache_alone(self, member):
        before = generation()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_session WHERE session_key = %s", ["gone"])
        assert generation() == before
        Profile.objects.filter(member=member).update(profession="Pharmacist")
        assert generation() > before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestTransactions:
    """In production the generation moves when the write commits."""

    def test_it_moves_on_commit_once(self, member):
        before = generation()
        with transaction.atomic():
            Profile.objects.filter(member=member).update(profession="Pharmacist")
            Profile.objects.filter(member=member).update(profession="Dietitian")
            assert generation() == before
        assert generation() == before + 1

    def test_a_rolled_back_write_leaves_it(self, member):
        before = generation()
        with pytest.raises(RuntimeError), transaction.atomic():
            Profile.objects.filter(member=member).update(profession="Pharmacist")
            raise RuntimeError
        assert generation() == before

    def test_autocommit_writes_move_it_at_once(self, member):
        before = generation()
        Profile.objects.filter(member=member).update(profession="Pharmacist")
        assert generation() == before + 1

    def test_a_lost_generation_starts_past_every_old_one(self, member):
        Profile.objects.filter(member=member).update(profession="Pharmacist")
        old = generation()
        cache.delete(pagecache.GENERATION_KEY)
        assert generation() > old
        cache.delete(pagecache.GENERATION_KEY)
        Profile.objects.filter(member=member).update(profession="Dietitian")
        assert generation() > old


@pytest.mark.django_db
class TestApiLists:
    """API lists are kept per credential; the credential is checked on every hit."""

    URL = "/api/v1/notifications"

    @staticmethod
    def bearer(secret):
        return {"Authorization": f"Bearer {secret}"}

    def test_a_list_asked_again_comes_from_the_cache(self, client, member):
        _, secret = api_token_create(member=member, name="laptop")
        first = client.get(self.URL, headers=self.bearer(secret))
        again = client.get(self.URL, headers=self.bearer(secret))
        assert first.status_code == again.status_code == 200
        assert not hit(first) and hit(again)
        assert again.json() == first.json()
        assert again["Content-Type"] == first["Content-Type"]

    def test_a_revoked_token_is_refused_even_with_its_list_in_the_cache(self, client, member):
        token, secret = api_token_create(member=member, name="laptop")
        client.get(self.URL, headers=self.bearer(secret))
        assert hit(client.get(self.URL, headers=self.bearer(secret)))
        api_token_revoke(member=member, token=token)
        refused = client.get(self.URL, headers=self.bearer(secret))
        assert refused.status_code == 401

    def test_a_suspended_members_token_is_refused_with_its_list_in_the_cache(self, client, member):
        _, secret = api_token_create(member=member, name="laptop")
        client.get(self.URL, headers=self.bearer(secret))
        type(member).objects.filter(pk=member.pk).update(is_active=False)
        assert client.get(self.URL, headers=self.bearer(secret)).status_code == 401

    def test_an_expired_token_is_refused_with_its_list_in_the_cache(
        self, client, member, monkeypatch
    ):
        _, secret = api_token_create(
            member=member, name="laptop", expires_at=timezone.now() + timedelta(minutes=5)
        )
        client.get(self.URL, headers=self.bearer(secret))
        assert hit(client.get(self.URL, headers=self.bearer(secret)))
        later = timezone.now() + timedelta(minutes=6)
        monkeypatch.setattr(timezone, "now", lambda: later)
        assert client.get(self.URL, headers=self.bearer(secret)).status_code == 401

    def test_a_stored_list_for_a_token_costs_no_query(
        self, client, member, django_assert_num_queries
    ):
        _, secret = api_token_create(member=member, name="laptop")
        client.get(self.URL, headers=self.bearer(secret))
        with django_assert_num_queries(0):
            assert hit(client.get(self.URL, headers=self.bearer(secret)))

    def test_noting_when_a_token_was_last_used_keeps_the_stored_lists(self, member):
        token, _ = api_token_create(member=member, name="laptop")
        before = generation()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        assert generation() == before

    def test_each_token_and_member_has_its_own_list(self, client, member, other_member):
        _, mine = api_token_create(member=member, name="laptop")
        _, theirs = api_token_create(member=other_member, name="phone")
        client.get(self.URL, headers=self.bearer(mine))
        assert not hit(client.get(self.URL, headers=self.bearer(theirs)))

    def test_a_wrong_token_never_reaches_a_stored_list(self, client, member):
        _, secret = api_token_create(member=member, name="laptop")
        client.get(self.URL, headers=self.bearer(secret))
        assert client.get(self.URL, headers=self.bearer(secret + "x")).status_code == 401
        assert client.get(self.URL).status_code == 401

    @override_settings(EQUITIME_API_RATE_PER_TOKEN="3/h", EQUITIME_API_RATE_PER_IP="1000/h")
    def test_stored_answers_still_count_against_the_rate_limit(self, client, member):
        _, secret = api_token_create(member=member, name="laptop")
        answers = [client.get(self.URL, headers=self.bearer(secret)) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert hit(answers[2])

    def test_a_new_notification_is_on_the_next_list(self, client, member):
        _, secret = api_token_create(member=member, name="laptop")
        assert client.get(self.URL, headers=self.bearer(secret)).json()["count"] == 0
        Notification.objects.create(recipient=member, kind=Notification.Kind.EXCHANGE_PROPOSED)
        after = client.get(self.URL, headers=self.bearer(secret))
        assert not hit(after)
        assert after.json()["count"] == 1
