"""A lead's page of their organisation's members: names only with consent,
everyone else as one line withheld under five, the figures right, and only
the organisation's leads and administrators let in."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from equitime.exchanges.models import Exchange, Status
from equitime.impact import leads
from equitime.impact.filters import Scope, month_add, this_month
from equitime.impact.leads_views import organisation_members_csv
from equitime.impact.tests.leads_factories import admin, given, lead_of, member_at, organisation
from equitime.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def this_year() -> Scope:
    return Scope(first=month_add(this_month(), -11), last=this_month())


def url(org) -> str:
    return f"/impact/organisations/{org.pk}/members/"


def signed_in(client, member):
    assert client.login(email=member.email, password=PASSWORD)
    return client


@pytest.fixture
def ward():
    """An organisation of 2 named members, 4 who keep their names, and its lead."""
    org = organisation("Northbridge Trust")
    named = [member_at(org, "Amina Okafor", named=True), member_at(org, "Priya Nair", named=True)]
    quiet = [member_at(org, f"Quiet Colleague {n}") for n in range(4)]
    outside = member_at(organisation("Calderbrook Council"), "Olu Outsider", named=True)
    return {"org": org, "named": named, "quiet": quiet, "outside": outside}


def test_members_who_allow_it_are_named_with_their_hours(ward):
    amina, priya = ward["named"]
    given(amina, ward["outside"], 90)  # across organisations
    given(amina, priya, 60)  # within
    given(ward["outside"], priya, 30)

    report = leads.organisation_members(organisation=ward["org"], scope=this_year())

    rows = {row.name: (row.given, row.received, row.given_across) for row in report.named}
    assert rows == {"Amina Okafor": (150, 0, 90), "Priya Nair": (0, 90, 0)}
    assert [row.name for row in report.named] == ["Amina Okafor", "Priya Nair"]  # by hours given


def test_four_who_keep_their_names_are_withheld_as_one_line(ward):
    quiet = ward["quiet"]
    given(quiet[0], ward["outside"], 60)

    report = leads.organisation_members(organisation=ward["org"], scope=this_year())

    assert report.others is not None and report.others.withheld
    assert (report.others.members, report.others.given) == (None, None)
    names = {row.name for row in report.named}
    assert not any(name.startswith("Quiet") for name in names)


def test_five_who_keep_their_names_are_one_line_with_their_totals(ward):
    quiet = [*ward["quiet"], member_at(ward["org"], "Quiet Colleague 4")]
    given(quiet[0], ward["outside"], 60)
    given(quiet[1], quiet[2], 45)

    report = leads.organisation_members(organisation=ward["org"], scope=this_year())

    others = report.others
    assert others is not None and not others.withheld
    assert (others.members, others.given, others.received, others.given_across) == (5, 105, 45, 60)


def test_only_completed_exchanges_in_the_period_count(ward):
    amina = ward["named"][0]
    outside = ward["outside"]
    old = given(amina, outside, 60)
    Exchange.objects.filter(pk=old.pk).update(completed_at=timezone.now() - timedelta(days=800))
    given(amina, outside, 30, status=Status.REVERSED)
    given(amina, outside, 45, status=Status.DELIVERED)
    given(amina, outside, 15)

    report = leads.organisation_members(organisation=ward["org"], scope=this_year())

    assert [(row.name, row.given) for row in report.named][:1] == [("Amina Okafor", 15)]


def test_the_report_is_one_query_whatever_the_size(ward, django_assert_num_queries):
    for member in ward["quiet"]:
        given(member, ward["outside"], 60)
    with django_assert_num_queries(1):
        leads.organisation_members(organisation=ward["org"], scope=this_year())


def test_the_names_of_those_who_keep_them_never_leave_the_database(ward):
    with CaptureQueriesContext(connection) as queries:
        leads.organisation_members(organisation=ward["org"], scope=this_year())
    # The SQL chooses the name only where the member allowed it.
    assert "CASE WHEN" in queries[0]["sql"].upper()


# --- The page -------------------------------------------------------------------------


def test_the_lead_sees_names_and_the_withheld_line(client, ward):
    lead = lead_of(ward["org"])
    given(ward["named"][0], ward["outside"], 90)

    page = signed_in(client, lead).get(url(ward["org"]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Amina Okafor" in html and "Priya Nair" in html
    assert "Quiet Colleague" not in html
    # Five keep their names now: the four, and the lead, who did not allow it.
    assert "5 other members keep their names to themselves" in html
    assert "Download this table (CSV)" in html


def test_under_five_others_the_page_says_withheld(client, ward):
    from equitime.members.models import Profile

    lead = lead_of(ward["org"])
    Profile.objects.filter(member=lead).update(named_to_organisation_leads=True)

    html = signed_in(client, lead).get(url(ward["org"])).content.decode()

    assert "Fewer than 5 other members keep their names to themselves" in html
    assert html.count(">withheld<") == 3


def test_a_lead_of_one_organisation_asking_for_another_is_refused(client, ward):
    lead = lead_of(ward["org"])
    other = ward["outside"].profile.organisation
    assert signed_in(client, lead).get(url(other)).status_code == 403


def test_members_without_the_role_are_refused_and_visitors_sent_to_sign_in(client, ward):
    assert client.get(url(ward["org"])).status_code == 302
    assert signed_in(client, ward["named"][0]).get(url(ward["org"])).status_code == 403


def test_an_administrator_sees_any_organisation(client, ward):
    page = signed_in(client, admin()).get(url(ward["org"]))
    assert page.status_code == 200 and "Amina Okafor" in page.content.decode()


def test_a_month_that_is_not_one_is_a_form_error(client, ward):
    lead = lead_of(ward["org"])
    page = signed_in(client, lead).get(url(ward["org"]), {"first": "soon", "last": "2999-01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter a month as year and month" in html
    assert "Amina Okafor" not in html


def test_the_period_chosen_is_the_one_counted(client, ward):
    lead = lead_of(ward["org"])
    old = given(ward["named"][0], ward["outside"], 60)
    long_ago = timezone.now() - timedelta(days=400)
    Exchange.objects.filter(pk=old.pk).update(completed_at=long_ago)
    month = f"{long_ago:%Y-%m}"

    page = signed_in(client, lead).get(url(ward["org"]), {"first": month, "last": month})

    row = page.content.decode().split("Amina Okafor")[1].split("</tr>")[0]
    assert ">1<" in row


# --- CSV ------------------------------------------------------------------------------


def test_the_csv_has_the_table_and_no_formula(client, ward):
    from equitime.members.models import Member

    amina = ward["named"][0]
    Member.objects.filter(pk=amina.pk).update(display_name='=HYPERLINK("http://x")')
    given(amina, ward["outside"], 90)
    lead = lead_of(ward["org"])

    response = signed_in(client, lead).get(url(ward["org"]), {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Member",
        "Hours given",
        "Hours received",
        "Hours given across organisations",
    ]
    assert ['\'=HYPERLINK("http://x")', "1.5", "0", "1.5"] in rows
    assert rows[-1][0] == "5 other members keep their names to themselves"


def test_the_csv_says_withheld_under_five(ward):
    report = leads.organisation_members(organisation=ward["org"], scope=this_year())
    rows = list(csv.reader(io.StringIO(organisation_members_csv(report))))
    assert rows[-1][1:] == ["withheld", "withheld", "withheld"]
