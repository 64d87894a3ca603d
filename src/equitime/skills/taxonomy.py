"""The taxonomy in people's languages.

The names are stored in English (``name``), the stable words that search,
matching, the API and the exports work on. People read them through
``label(name)``: gettext of the stored name, so the seeded names are translated
in the catalogues like every other sentence. They are marked for translation
in ``skills.seed`` (``gettext_noop``, which makemessages sees); a name that is
ambiguous on its own is translated with a context, marked here.

A name an administrator adds later in admin shows as typed, in every
language, until it is added to ``seed.LATER`` (or a context here) and the
catalogues are translated (docs/i18n.md).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

# Names that mean something else alone: "Lean" is the method, not the adjective;
# "Other" is the catch-all category of skills.
CONTEXTS: dict[str, Promise] = {
    "Lean": pgettext_lazy("quality improvement method", "Lean"),
    "Other": pgettext_lazy("skill category", "Other"),
}


def label(name: str) -> str:
    """``name`` (a skill, category or improvement area, or an area's
    description) in the active language; as stored when not translated."""
    if not name:
        return name
    marked = CONTEXTS.get(name)
    return str(marked) if marked is not None else gettext(name)
