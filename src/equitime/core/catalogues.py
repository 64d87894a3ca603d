"""The translation catalogues: how they are made, and what a finished one is.

``MAKEMESSAGES_ARGS`` is the one list of makemessages' options: ``make
messages`` runs them (``equitime messages``, from the package's directory) and
the catalogue tests run them into a copy, to find a catalogue that no longer
matches the code. Tests and browser tests hold no words a person reads.

``catalogue_problems(path)`` says what keeps a catalogue from being finished:
an entry untranslated or fuzzy, a plural with the wrong number of forms, a
placeholder or an HTML tag lost or added. The rules are the translators'
checker's, the one they used when the catalogues were first filled in:

- a singular keeps exactly the source's placeholders (``%(name)s``, ``%s``,
  ``%d``, ``{name}``);
- a plural form may leave out a named placeholder (Welsh "one" need not say
  "1"), but names none the source does not, and a form that covers many
  numbers keeps every named placeholder of ``msgid_plural``; positional
  placeholders are the source's in every form;
- every form keeps the source's HTML tags, and starts and ends with a newline
  exactly when the source does.
"""

from __future__ import annotations

import collections
import gettext
import re
from pathlib import Path

import polib
from django.conf import settings

# The languages with a catalogue: every language but the one the code is written in.
CATALOGUE_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en-gb"]

MAKEMESSAGES_ARGS = [
    *(f"--locale={code}" for code in CATALOGUE_LANGUAGES),
    "--add-location=file",
    "--no-obsolete",
    "--ignore=*/tests/*",
    "--ignore=browser_tests/*",
    "--ignore=tests/*",
]

SHOWN = 72  # characters of a msgid that name it in a problem
PLACEHOLDER = re.compile(r"%\([A-Za-z_0-9]+\)[sdif]|%[sdif]|%%|\{[A-Za-z_0-9]*\}")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
PLURAL = re.compile(r"plural\s*=\s*(.+?);?\s*$")


def entry_keys(path: Path) -> set[tuple[str, str, str]]:
    """(msgctxt, msgid, msgid_plural) of every current entry of a catalogue."""
    catalogue = polib.pofile(str(path), encoding="utf-8")
    return {
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        for entry in catalogue
        if not entry.obsolete
    }


def many_number_forms(plural_forms: str, nplurals: int) -> set[int]:
    """The plural forms that cover more than one number (Welsh "other",
    Arabic "few", "many" and "other"): these must name their number."""
    found = PLURAL.search(plural_forms)
    if found is None:
        return set(range(nplurals))
    rule = gettext.c2py(found.group(1))
    counts = collections.Counter(rule(n) for n in range(1000))
    return {form for form, count in counts.items() if count > 1}


def _named(found: collections.Counter[str]) -> set[str]:
    return {key for key in found if key.startswith("%(")}


def _positional(found: collections.Counter[str]) -> list[tuple[str, int]]:
    return sorted((key, count) for key, count in found.items() if not key.startswith("%("))


def _form_problems(entry: polib.POEntry, index: int | None, text: str, many: set[int]) -> list[str]:
    name = f"{entry.msgid[:SHOWN]!r}" + ("" if index is None else f" form {index}")
    if not text.strip():
        return [f"{name}: not translated"]
    problems = []
    got = collections.Counter(PLACEHOLDER.findall(text))
    if index is None:
        source = collections.Counter(PLACEHOLDER.findall(entry.msgid))
        if got != source:
            problems.append(f"{name}: placeholders {dict(got)} differ from {dict(source)}")
    else:
        singular = collections.Counter(PLACEHOLDER.findall(entry.msgid))
        plural = collections.Counter(PLACEHOLDER.findall(entry.msgid_plural))
        if not _named(got) <= _named(singular) | _named(plural):
            unknown = sorted(_named(got) - _named(singular) - _named(plural))
            problems.append(f"{name}: placeholders the source does not have: {unknown}")
        elif index in many and _named(got) != _named(plural):
            problems.append(
                f"{name}: covers many numbers, so keeps every placeholder of msgid_plural "
                f"{sorted(_named(plural))}"
            )
        elif _positional(got) != _positional(plural):
            problems.append(f"{name}: positional placeholders differ from the source's")
    tags = collections.Counter(TAG.findall(entry.msgid))
    if collections.Counter(TAG.findall(text)) != tags:
        problems.append(f"{name}: HTML tags differ from the source's {dict(tags)}")
    for edge in ("\n",):
        if entry.msgid.startswith(edge) != text.startswith(edge) or entry.msgid.endswith(
            edge
        ) != text.endswith(edge):
            problems.append(f"{name}: starts or ends with a newline unlike the source")
    return problems


def catalogue_problems(path: Path) -> list[str]:
    """Everything that keeps the catalogue at ``path`` from being finished."""
    catalogue = polib.pofile(str(path), encoding="utf-8")
    plural_forms = catalogue.metadata.get("Plural-Forms", "")
    found = NPLURALS.search(plural_forms)
    if found is None:
        return [f"{path}: no nplurals in the Plural-Forms header"]
    nplurals = int(found.group(1))
    many = many_number_forms(plural_forms, nplurals)
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.msgid[:SHOWN]!r}: fuzzy")
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != list(range(nplurals)):
                named = repr(entry.msgid[:SHOWN])
                problems.append(f"{named}: {len(forms)} plural forms, the header says {nplurals}")
                continue
            for index in range(nplurals):
                problems += _form_problems(entry, index, forms[index], many)
        else:
            problems += _form_problems(entry, None, entry.msgstr, many)
    return problems
