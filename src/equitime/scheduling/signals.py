"""What scheduling announces, for the calendar invitations to follow.

``session_changed`` is sent inside the transaction of every change both
parties (or every attendee) must see in their calendars: a time chosen, a
session moved, a session cancelled, a place taken or given up. Receivers act
on commit. Arguments: ``session`` (already saved, ``sequence`` raised),
``recipients`` (the members whose calendars change), ``cancel`` (True when
they should remove it: the session was cancelled, or they left it).
"""

from django.dispatch import Signal

session_changed = Signal()
