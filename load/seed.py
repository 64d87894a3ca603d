"""Members for the load test, made through the services, and what locust needs.

Run by ``load/run.py`` with the load environment's settings (the new
PostgreSQL database, Redis). Makes ``--members`` confirmed members, each with
an offer (so others can take it up), a personal access token, and a signed-in
session (made here, so that locust does not spend the run hashing passwords
and allauth's per-IP sign-in limit does not apply). Writes them to ``--out``
as JSON. Secrets in that file are for this throwaway database only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitime.settings")
    django.setup()

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from equitime.api.services import api_token_create
    from equitime.core.middleware import LAST_SEEN_AT, SIGNED_IN_AT
    from equitime.listings.models import Format, Listing
    from equitime.listings.services import listing_create
    from equitime.members.models import Member, Organisation
    from equitime.members.services import member_join
    from equitime.skills.models import ImprovementArea

    areas = list(ImprovementArea.objects.order_by("pk"))
    organisations = list(Organisation.objects.order_by("pk"))
    if not areas or not organisations:
        print("Run `equitime demo` first: no improvement areas or organisations.", file=sys.stderr)
        return 1
    password = make_password("load-test-only-" + os.urandom(8).hex())
    session_store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    topics = [
        ("Run charts for a QI project", "We can see whether a change is an improvement."),
        ("Survival analysis in R", "Analyses that guide clinical decisions are sound."),
        ("Coaching for new ward managers", "New managers keep their teams well and safe."),
        ("Writing a patient information leaflet", "Patients understand their care better."),
        ("Process mapping a discharge pathway", "Patients go home sooner and safely."),
        ("Teaching simulation debriefs", "Teams learn from simulated emergencies."),
    ]
    people = []
    now = timezone.now().timestamp()
    for n in range(args.members):
        email = f"load{n:04d}@load.equitime.org"
        member = Member.objects.filter(email=email).first()
        if member is None:
            member = member_join(
                email=email,
                display_name=f"Load Member {n:04d}",
                password=None,
                organisation=organisations[n % len(organisations)],
                profession="Quality improvement lead",
                email_verified=True,
            )
            member.password = password
            member.save(update_fields=["password"])
        title, benefit = topics[n % len(topics)]
        listing = Listing.objects.filter(owner=member).first() or listing_create(
            owner=member,
            kind=Listing.Kind.OFFER,
            title=f"{title} ({n})",
            description=f"{title}: an hour or two, remote, with examples from our own work.",
            improvement_area=areas[n % len(areas)],
            benefit=benefit,
            estimated_minutes=60,
            format=Format.REMOTE,
        )
        _, token = api_token_create(member=member, name="load test")
        session = session_store()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN_AT] = now
        session.save()
        people.append(
            {"id": member.pk, "token": token, "session": session.session_key, "listing": listing.pk}
        )
    with open(args.out, "w") as out:
        json.dump(
            {
                "members": people,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "search_words": [
                    "analysis",
                    "coaching",
                    "run charts",
                    "leaflet",
                    "discharge",
                    "simulation",
                    "statistics",
                    "mentoring",
                    "survival",
                    "teaching",
                ],
            },
            out,
        )
    print(f"Seeded {len(people)} members with offers, tokens and sessions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
