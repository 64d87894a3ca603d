"""The label of a field's value, looked up rather than rebuilt.

Django's ``get_FOO_display`` rebuilds and translates every choice of the field
on each call: a millisecond for a field of twenty choices, called twenty times
on a page or in an API list. ``choice_label`` looks the one label up in a table
made once per field; the labels stay lazy, so each is translated when shown,
in the reader's language.
"""

import functools


@functools.cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


def choice_label(obj, field_name: str) -> str:
    """``choice_label(listing, "kind")`` is ``listing.get_kind_display()``."""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field.attname)
    return str(_labels(field).get(value, value))
