"""Small-number suppression: no figure about fewer than ``MIN_MEMBERS``
members is shown outside a member's own record, as NHS statistics withhold
small counts. A withheld figure is shown as withheld (never as zero), so a
reader knows something is there but not how little."""

MIN_MEMBERS = 5


def is_suppressed(members: int) -> bool:
    """Whether a figure about ``members`` distinct members must be withheld.
    Zero members is no figure about anyone: nothing to withhold."""
    return 0 < members < MIN_MEMBERS
