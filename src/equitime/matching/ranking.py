"""Who could help with a request: the ranking, with its reasons.

Two halves. ``evidence_for_request`` reads what the database knows in a few
aggregate queries (no query per member): who offers the request's skills
(taxonomy or in their own words), who has helped colleagues in those skills or
that improvement area before; then, for the ``MAX_CANDIDATES`` most relevant
only, thanks, format, recent activity, the words of their "about me",
organisation and profession. ``score`` is pure: it turns one member's ``Evidence`` into a number
and the reasons a person can read ("Offers Medical statistics · Helped 3
colleagues with Patient safety · Different organisation").

Never ranked: the poster, inactive (suspended or closed) members, staff,
members not seen for ``INACTIVE_AFTER``, and members who turned suggestions off
(``SuggestionSettings``). A member is ranked only if something *relevant*
links them to the request (a skill, their words, past help); the bonuses for
crossing organisations and professions (the platform's purpose), thanks,
format and activity order the relevant, they never make someone relevant.

Exchanges on the request itself are not counted as past help: they would be
the answer leaking into the question (the benchmark holds them out).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitime.exchanges.models import Exchange, Status, Thanks
from equitime.listings.models import Format, Listing
from equitime.matching.models import SuggestionSettings
from equitime.members.models import Member, Profile
from equitime.skills.taxonomy import label as taxonomy_label

# Not seen (signed in, joined or exchanged) for this long: not suggested.
INACTIVE_AFTER = timedelta(days=180)
# Seen this recently: a small bonus (people who answer).
RECENTLY_ACTIVE = timedelta(days=30)
# The most relevant candidates kept before members are read one by one.
MAX_CANDIDATES = 300
# Words of the request searched for in members' own words.
MAX_TEXT_TERMS = 8
MIN_TERM_LENGTH = 4

# Weights. Relevance first: a taxonomy skill is the strongest sign.
SKILL_WEIGHT = 3.0
OWN_WORDS_WEIGHT = 1.5
BIO_WEIGHT = 0.5
HELPED_IN_SKILLS_WEIGHT = 1.0
HELPED_IN_AREA_WEIGHT = 0.5
# Offers every skill the request names: the whole answer, not a part.
ALL_SKILLS_WEIGHT = 2.0
CAP_SKILLS = 3
CAP_TERMS = 2
CAP_HELPED = 3
# Then what orders the relevant.
THANKS_WEIGHT = 0.2
CAP_THANKS = 5
FORMAT_FITS_WEIGHT = 0.3
FORMAT_CLASH_PENALTY = 1.0
RECENT_WEIGHT = 0.5
OTHER_ORGANISATION_WEIGHT = 0.75
OTHER_PROFESSION_WEIGHT = 0.5

# Words too common in requests to say anything about a helper.
_STOP_WORDS = """
about after also among and another any anyone are because been before being between both
could does doing each from have help helping into just know like looking make more most
much need needs none only other over please project some someone such than that their
them then there these they this those through want with within would your team work
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_WORD = re.compile(rf"[^\W\d_]{{{MIN_TERM_LENGTH},}}")


@dataclass
class Evidence:
    """What links one member to one request; ``score`` reads nothing else."""

    skills: list[str] = field(default_factory=list)  # the request's taxonomy skills they list
    wanted_skills: int = 0  # how many skills the request names
    own_words: list[str] = field(default_factory=list)  # terms in their "other skills"
    bio_words: list[str] = field(default_factory=list)  # terms in their "about me"
    helped_in_skills: int = 0  # distinct colleagues helped in these skills (completed)
    helped_in_area: int = 0  # distinct colleagues helped in the improvement area
    area_name: str = ""
    thanks: int = 0
    format_fits: bool | None = None  # None: nothing to say
    recently_active: bool = False
    other_organisation: bool = False
    other_profession: bool = False


@dataclass(frozen=True)
class Suggestion:
    member: Member
    score: float
    reasons: list[str]

    @property
    def reasons_text(self) -> str:
        return " · ".join(self.reasons)


def relevance(e: Evidence) -> float:
    return (
        SKILL_WEIGHT * min(len(e.skills), CAP_SKILLS)
        + OWN_WORDS_WEIGHT * min(len(e.own_words), CAP_TERMS)
        + BIO_WEIGHT * min(len(e.bio_words), CAP_TERMS)
        + HELPED_IN_SKILLS_WEIGHT * min(e.helped_in_skills, CAP_HELPED)
        + HELPED_IN_AREA_WEIGHT * min(e.helped_in_area, CAP_HELPED)
    )


def score(e: Evidence, *, why: bool = True) -> tuple[float, list[str]]:
    """The member's score for the request and why; (0, []) when nothing relevant.
    Without ``why``, the score alone (the reasons are written for those shown)."""
    base = relevance(e)
    if base <= 0:
        return 0.0, []
    total = base + THANKS_WEIGHT * min(e.thanks, CAP_THANKS)
    if e.wanted_skills and len(e.skills) >= e.wanted_skills:
        total += ALL_SKILLS_WEIGHT
    if e.format_fits is True:
        total += FORMAT_FITS_WEIGHT
    elif e.format_fits is False:
        total -= FORMAT_CLASH_PENALTY
    if e.recently_active:
        total += RECENT_WEIGHT
    if e.other_organisation:
        total += OTHER_ORGANISATION_WEIGHT
    if e.other_profession:
        total += OTHER_PROFESSION_WEIGHT
    if not why:
        return round(total, 3), []
    return round(total, 3), reasons_for(e)


def reasons_for(e: Evidence) -> list[str]:
    """Why a member is suggested, in words a person reads."""
    reasons: list[str] = []
    if e.skills:
        reasons.append(_("Offers %(skills)s") % {"skills": ", ".join(e.skills)})
    if e.own_words and not e.skills:
        reasons.append(
            _("Mentions “%(words)s” in their skills") % {"words": "”, “".join(e.own_words[:2])}
        )
    if e.helped_in_skills:
        reasons.append(
            ngettext(
                "Helped %(count)d colleague with these skills",
                "Helped %(count)d colleagues with these skills",
                e.helped_in_skills,
            )
            % {"count": e.helped_in_skills}
        )
    elif e.helped_in_area:
        reasons.append(
            ngettext(
                "Helped %(count)d colleague with %(area)s",
                "Helped %(count)d colleagues with %(area)s",
                e.helped_in_area,
            )
            % {"count": e.helped_in_area, "area": e.area_name}
        )
    if e.bio_words and not (e.skills or e.own_words):
        reasons.append(_("Writes about “%(word)s”") % {"word": e.bio_words[0]})
    if e.thanks:
        reasons.append(
            ngettext("Thanked once", "Thanked %(count)d times", e.thanks) % {"count": e.thanks}
        )
    if e.format_fits is False:
        reasons.append(_("Prefers another format"))
    if e.recently_active:
        reasons.append(_("Active recently"))
    if e.other_organisation:
        reasons.append(_("Different organisation"))
    if e.other_profession:
        reasons.append(_("Different profession"))
    return reasons


def format_fits(listing_format: str, preference: str) -> bool | None:
    """Whether the member's remote/in person preference meets the request's format."""
    if listing_format == Format.EITHER or preference == Profile.Preference.EITHER:
        return None if listing_format == Format.EITHER else True
    return listing_format == preference


def request_terms(listing: Listing, skill_names: list[str]) -> list[str]:
    """The words of a request worth looking for in members' own words: its
    skills' names, their words, then its title's words, then its description's."""
    terms: list[str] = []
    for name in skill_names:
        if len(name) >= MIN_TERM_LENGTH - 1:  # not "R": it is in every text
            terms.append(name.lower())
    for text in (*skill_names, listing.title, listing.description):
        for word in _WORD.findall(text.lower()):
            if word not in STOP_WORDS and word not in terms:
                terms.append(word)
    return terms[:MAX_TEXT_TERMS]


def terms_in(text: str, terms: list[str]) -> list[str]:
    lowered = text.lower()
    return [term for term in terms if term in lowered]


def own_words(value: object) -> str:
    if isinstance(value, list):
        return " | ".join(str(item) for item in value)
    return str(value or "")


def rank_helpers(
    listing: Listing, *, limit: int = 10, now: datetime | None = None
) -> list[Suggestion]:
    """The members best placed to help with ``listing`` (a request), best first."""
    now = now or timezone.now()
    scored = []
    for pk, e in evidence_for_request(listing, now=now):
        value, _none = score(e, why=False)
        if value > 0:
            scored.append((value, pk, e))
    scored.sort(key=lambda item: (-item[0], item[1]))
    shown = scored[:limit]
    members = Member.objects.select_related("profile__organisation").in_bulk(
        [pk for _value, pk, _e in shown]
    )
    return [
        Suggestion(member=members[pk], score=value, reasons=reasons_for(e))
        for value, pk, e in shown
    ]


def evidence_for_request(
    listing: Listing, *, now: datetime | None = None
) -> list[tuple[int, Evidence]]:
    """Each eligible member (by id) with something relevant to ``listing``, and the evidence."""
    now = now or timezone.now()
    skills = dict(listing.skills.values_list("pk", "name"))
    skill_ids = list(skills)
    area_id = listing.improvement_area_id
    area_name = listing.improvement_area.label
    # Read as plain dicts first: Evidence is made only for the candidates kept.
    offers: dict[int, list[str]] = defaultdict(list)
    words: dict[int, list[str]] = {}
    helped_skills: dict[int, int] = {}
    helped_area: dict[int, int] = {}

    # Taxonomy skills on profiles.
    if skill_ids:
        rows = Profile.skills.through.objects.filter(skill_id__in=skill_ids).values_list(
            "profile__member_id", "skill_id"
        )
        for member_id, skill_id in rows:
            offers[member_id].append(skills[skill_id])

    # The request's words in members' own words ("other skills").
    terms = request_terms(listing, list(skills.values()))
    if terms:
        wanted = reduce(or_, (Q(skills_offered__icontains=term) for term in terms))
        # As stored (JSON text): the filter above matched that text, and it
        # spares decoding every row.
        for member_id, offered in (
            Profile.objects.filter(wanted)
            .annotate(offered_text=Cast("skills_offered", TextField()))
            .values_list("member_id", "offered_text")
        ):
            words[member_id] = terms_in(offered, terms)

    # Past help, completed, on other listings than this one (indexes
    # exchange_help_by_area and exchange_help_by_listing answer these).
    done = Exchange.objects.filter(status=Status.COMPLETED).exclude(listing_id=listing.pk)
    if skill_ids:
        in_skills = Listing.skills.through.objects.filter(skill_id__in=skill_ids).values(
            "listing_id"
        )
        helped_skills = dict(
            done.filter(listing_id__in=in_skills)
            .values("provider_id")
            .annotate(n=Count("receiver_id", distinct=True))
            .order_by("-n", "provider_id")
            .values_list("provider_id", "n")[:MAX_CANDIDATES]
        )
    helped_area = dict(
        done.filter(improvement_area_id=area_id)
        .values("provider_id")
        .annotate(n=Count("receiver_id", distinct=True))
        .order_by("-n", "provider_id")
        .values_list("provider_id", "n")[:MAX_CANDIDATES]
    )

    def evidence(pk: int) -> Evidence:
        return Evidence(
            skills=[taxonomy_label(name) for name in offers.get(pk, [])],
            own_words=words.get(pk, []),
            helped_in_skills=helped_skills.get(pk, 0),
            helped_in_area=helped_area.get(pk, 0),
        )

    # Keep the most relevant before reading members: the rest would not show
    # (``relevance`` without the about-me words, read only for those kept).
    # Summed source by source: one pass over each, none over everyone.
    relevant: dict[int, float] = defaultdict(float)
    for pk, names in offers.items():
        relevant[pk] += SKILL_WEIGHT * min(len(names), CAP_SKILLS)
    for pk, found in words.items():
        relevant[pk] += OWN_WORDS_WEIGHT * min(len(found), CAP_TERMS)
    for pk, n in helped_skills.items():
        relevant[pk] += HELPED_IN_SKILLS_WEIGHT * min(n, CAP_HELPED)
    for pk, n in helped_area.items():
        relevant[pk] += HELPED_IN_AREA_WEIGHT * min(n, CAP_HELPED)
    relevant.pop(listing.owner_id, None)
    ids = [pk for pk, value in relevant.items() if value > 0]
    if not ids:
        return []
    ids.sort(key=lambda pk: (-relevant[pk], pk))
    ids = ids[: MAX_CANDIDATES * 2]
    # When each was last seen, as two flags worked out by the database (reading
    # the instants back would cost more than the queries): seen at all within
    # INACTIVE_AFTER, and recently. By sign-in or joining, then by exchanges.
    # Read with the candidates' rows in one query (not one query per signal,
    # each with its own list of ids): every subquery is an index seek per
    # member (exchange_provider_last, exchange_receiver_last, the thanks'
    # recipient, the settings' member). The opted out are left out there too.
    seen_after, recent_after = now - INACTIVE_AFTER, now - RECENTLY_ACTIVE

    def level(field: str) -> Case:
        return Case(
            When(**{f"{field}__gte": recent_after}, then=Value(2)),
            When(**{f"{field}__gte": seen_after}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )

    def took_part(after: datetime) -> Q:
        return Exists(
            Exchange.objects.filter(provider_id=OuterRef("pk"), updated_at__gte=after)
        ) | Exists(Exchange.objects.filter(receiver_id=OuterRef("pk"), updated_at__gte=after))

    thanks = (
        Thanks.objects.filter(recipient_id=OuterRef("pk"))
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    opted_out = SuggestionSettings.objects.filter(member_id=OuterRef("pk"), suggestable=False)
    poster = Profile.objects.filter(member_id=listing.owner_id).values_list(
        "organisation_id", "profession"
    )
    poster_org, poster_profession = poster[0] if poster else (None, "")
    # Plain rows for the candidates; Member objects only for those shown
    # (rank_helpers). Read in slices, the most relevant first, until
    # MAX_CANDIDATES are kept: most are, so one slice usually does.
    candidates = (
        Member.objects.filter(is_active=True, is_staff=False)
        .exclude(Exists(opted_out))
        .annotate(
            by_login=level("last_login"),
            by_joining=level("date_joined"),
            by_exchanges=Case(
                When(took_part(recent_after), then=Value(2)),
                When(took_part(seen_after), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            thanked=Subquery(thanks, output_field=IntegerField()),
        )
        .values_list(
            "pk",
            "by_login",
            "by_joining",
            "by_exchanges",
            "thanked",
            "profile__organisation_id",
            "profile__profession",
            "profile__preference",
            "profile__bio",
        )
    )
    kept: list[tuple[int, tuple]] = []  # (2 seen recently, 1 not, the row)
    start = 0
    while len(kept) < MAX_CANDIDATES and start < len(ids):
        end = start + MAX_CANDIDATES * 5 // 4 if start == 0 else len(ids)
        for row in candidates.filter(pk__in=ids[start:end]):
            seen = max(row[1] or 0, row[2] or 0, row[3] or 0)
            if seen:
                kept.append((seen, row))
        start = end
    kept.sort(key=lambda item: (-relevant[item[1][0]], item[1][0]))
    out: list[tuple[int, Evidence]] = []
    for seen, row in kept[:MAX_CANDIDATES]:
        pk, _login, _joining, _exchanges, thanked, organisation_id, profession = row[:7]
        preference, bio = row[7:]
        e = evidence(pk)
        e.wanted_skills = len(skill_ids)
        e.bio_words = terms_in(bio or "", terms)
        e.area_name = area_name
        e.thanks = thanked or 0
        e.recently_active = seen == 2
        e.format_fits = format_fits(listing.format, preference or "")
        e.other_organisation = bool(
            organisation_id and poster_org and organisation_id != poster_org
        )
        e.other_profession = bool(
            profession
            and poster_profession
            and profession.strip().lower() != poster_profession.strip().lower()
        )
        out.append((pk, e))
    return out
