"""``{% session_panel exchange %}``: the "Session" panel of an exchange page.

The exchange page belongs to the exchanges app, which sits below scheduling
and cannot import it; its template loads this tag, which reads the session
and draws it for the reader (a party; anyone else sees nothing)."""

from typing import Any

from django import template

from equitime.core import zones
from equitime.exchanges.models import Exchange
from equitime.scheduling.display import clock_of, other_clock
from equitime.scheduling.forms import CANCEL_PREFIX, CancelForm, MoveForm, ProposeTimesForm
from equitime.scheduling.models import Session
from equitime.scheduling.selectors import session_for_exchange
from equitime.scheduling.services import SCHEDULABLE_EXCHANGE, is_party, session_moves_for

register = template.Library()


def panel_context(*, exchange: Exchange, reader: Any) -> dict[str, Any]:
    """What the panel shows ``reader``; ``{"show": False}`` when nothing."""
    if not is_party(exchange, reader):
        return {"show": False}
    session = session_for_exchange(exchange=exchange)
    arranging = exchange.status in SCHEDULABLE_EXCHANGE
    if session is None and not arranging:
        return {"show": False}
    other = exchange.other_party(reader)
    zone = zones.zone_of(reader)
    moves = session_moves_for(exchange=exchange, session=session, member=reader)
    scheduled = session is not None and session.status == Session.Status.SCHEDULED
    context: dict[str, Any] = {
        "show": True,
        "exchange": exchange,
        "session": session,
        "other": other,
        "scheduled": scheduled,
        "may_change": "propose" in moves,
        "reader_zone": zones.zone_label(zone),
    }
    if session is not None and session.starts_at is not None:
        context["when"] = clock_of(reader, session.starts_at, session.minutes)
        context["other_when"] = other_clock(reader, other, session.starts_at, session.minutes)
    if session is not None:
        context["open_times"] = [
            {
                "time": time,
                "when": clock_of(reader, time.starts_at, time.minutes),
                "other_when": other_clock(reader, other, time.starts_at, time.minutes),
                "mine": time.proposed_by_id == reader.pk,
            }
            for time in session.open_times  # type: ignore[attr-defined]  # prefetched
        ]
        context["timeline"] = [
            {
                "event": event,
                "at": clock_of(reader, event.created_at),
                "when": clock_of(reader, event.starts_at, event.minutes)
                if event.starts_at
                else None,
            }
            for event in session.timeline  # type: ignore[attr-defined]  # prefetched
        ]
    if "propose" in moves:
        context["propose_form"] = ProposeTimesForm(prefix="propose", zone=zone)
    if "move" in moves:
        context["move_form"] = MoveForm(prefix="move", zone=zone)
    if "cancel" in moves:
        context["cancel_form"] = CancelForm(prefix=CANCEL_PREFIX)
    return context


@register.inclusion_tag("scheduling/_session_panel.html", takes_context=True)
def session_panel(context: template.Context, exchange: Exchange) -> dict[str, Any]:
    request = context.get("request")
    reader = getattr(request, "user", None)
    panel = panel_context(exchange=exchange, reader=reader)
    panel["csrf_token"] = context.get("csrf_token")
    return panel
