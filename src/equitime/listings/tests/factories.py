"""Listing test data: one helper, ``listing``, made through ``listing_create``.

Where test helpers live: each app keeps one ``tests/factories.py`` with one
helper for its own thing (``members``: ``make_member``; ``listings``:
``listing``; ``exchanges``: ``exchange_at``), and a helper imports only the
factories of the apps below it, as the code does (DESIGN.md, "Layers"). So a
member test never imports exchanges, and no app's tests reach up the layers.
The root conftest hands them out as fixtures (``make_member``,
``make_listing``).
"""

from datetime import timedelta

from django.utils import timezone

from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.skills.models import ImprovementArea, Skill


def listing(
    owner=None,
    kind: str = Listing.Kind.OFFER,
    minutes: int = 60,
    *,
    title: str = "Survival analysis in R",
    description: str = "I can walk you through Kaplan-Meier curves.",
    benefit: str = "Better evidence on readmissions for the frailty team.",
    area: str | ImprovementArea = "patient-safety",
    skills=("survival-analysis",),
    format: str = Format.REMOTE,
    expires_in: timedelta | None = None,
    **fields,
) -> Listing:
    """A listing made the way members make them (and so indexed for search).

    ``owner`` defaults to a new member; ``area`` and ``skills`` take slugs or
    objects; ``expires_in`` moves the expiry to that long from now.
    """
    if owner is None:
        from equitime.members.tests.factories import make_member

        owner = make_member()
    if isinstance(area, str):
        area = ImprovementArea.objects.get(slug=area)
    slugs = [s for s in skills if isinstance(s, str)]
    skill_objects = [s for s in skills if not isinstance(s, str)]
    if slugs:
        skill_objects += list(Skill.objects.filter(slug__in=slugs))
    made = listing_create(
        owner=owner,
        kind=kind,
        title=title,
        description=description,
        improvement_area=fields.pop("improvement_area", area),
        benefit=benefit,
        estimated_minutes=fields.pop("estimated_minutes", minutes),
        format=format,
        skills=skill_objects,
        **fields,
    )
    if expires_in is not None:
        Listing.objects.filter(pk=made.pk).update(expires_at=timezone.now() + expires_in)
        made.refresh_from_db()
    return made
