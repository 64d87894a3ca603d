"""The catalogues match the code and are finished (issue 16).

``test_makemessages_leaves_the_catalogues_unchanged`` runs makemessages, with
``make messages``'s options, over a copy of the package and fails when an
entry would be added or removed: a sentence marked in the code that is not in
the catalogues yet (run ``make messages``), or one left behind. It needs GNU
gettext's xgettext, and says so when skipped.

``test_every_catalogue_is_finished`` holds every entry of every catalogue to
``core.catalogues.catalogue_problems``. Both fail until the translators'
catalogues land; the checks themselves are proved on small catalogues below.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from equitime.core.catalogues import (
    CATALOGUE_LANGUAGES,
    MAKEMESSAGES_ARGS,
    catalogue_problems,
    entry_keys,
    many_number_forms,
)

PACKAGE = Path(settings.LOCALE_PATHS[0]).parent
CATALOGUES = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))
WELSH_PLURALS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)
ARABIC_PLURALS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5;"
)
needs_xgettext = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext's xgettext is not installed (apt-get install gettext): "
    "makemessages cannot run",
)


def makemessages_into_copy(package: Path, destination: Path) -> Path:
    """makemessages with ``make messages``'s options over a copy of ``package``;
    returns the copy's locale directory."""
    copy = destination / "equitime"
    shutil.copytree(
        package,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc", "media", "staticfiles"),
    )
    locale = copy / "locale"
    here = Path.cwd()
    os.chdir(copy)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "LOCALE_PATHS", [locale])
            call_command("makemessages", *MAKEMESSAGES_ARGS, verbosity=0)
    finally:
        os.chdir(here)
    return locale


def drift(before: Path, after: Path) -> list[str]:
    """Entries added to or gone from each catalogue (POT-Creation-Date and
    other headers aside)."""
    found = []
    for old in sorted(before.glob("*/LC_MESSAGES/django.po")):
        new = after / old.relative_to(before)
        was, now = entry_keys(old), entry_keys(new)
        found += [f"{old.parent.parent.name}: new {key}" for key in sorted(now - was)]
        found += [f"{old.parent.parent.name}: gone {key}" for key in sorted(was - now)]
    return found


# --- The real catalogues ------------------------------------------------------------------


def test_there_is_a_catalogue_for_every_language_but_english():
    assert sorted(path.parent.parent.name for path in CATALOGUES) == sorted(CATALOGUE_LANGUAGES)


@needs_xgettext
def test_makemessages_leaves_the_catalogues_unchanged(tmp_path):
    locale = makemessages_into_copy(PACKAGE, tmp_path)

    changes = drift(Path(settings.LOCALE_PATHS[0]), locale)

    assert not changes, (
        "The catalogues do not match the code: run `make messages` and have the new "
        "entries translated.\n" + "\n".join(changes[:200])
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parent.parent.name for p in CATALOGUES])
def test_every_catalogue_is_finished(path):
    problems = catalogue_problems(path)

    assert not problems, f"{path}: {len(problems)} problems\n" + "\n".join(problems[:200])


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parent.parent.name for p in CATALOGUES])
def test_every_catalogue_has_the_cldr_plural_forms(path):
    header = polib.pofile(str(path)).metadata["Plural-Forms"]

    assert header.startswith("nplurals=6;"), header


# --- The checks, on small catalogues --------------------------------------------------------

SAMPLE_CODE = """
from django.utils.translation import gettext as _, ngettext, pgettext

_("Sign in")
pgettext("skill category", "Other")
ngettext("%(count)d hour", "%(count)d hours", 2)
"""


def sample_catalogue(tmp_path: Path, body: str, plurals: str = WELSH_PLURALS) -> Path:
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n'
        '"POT-Creation-Date: 2026-12-06 20:01+0000\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {plurals}\\n"\n\n' + body,
        encoding="utf-8",
    )
    return path


def plural_entry(msgid: str, msgid_plural: str, forms: list[str], flags: str = "") -> str:
    lines = [f"#, {flags}"] if flags else []
    lines += [f'msgid "{msgid}"', f'msgid_plural "{msgid_plural}"']
    lines += [f'msgstr[{i}] "{form}"' for i, form in enumerate(forms)]
    return "\n".join(lines) + "\n\n"


@needs_xgettext
def test_makemessages_into_a_copy_finds_new_and_gone_entries(tmp_path, settings):
    package = tmp_path / "package"
    (package / "locale" / "cy" / "LC_MESSAGES").mkdir(parents=True)
    (package / "locale" / "ar" / "LC_MESSAGES").mkdir(parents=True)
    (package / "views.py").write_text(SAMPLE_CODE, encoding="utf-8")
    (package / "tests").mkdir()
    (package / "tests" / "test_x.py").write_text('_("Only in a test")\n', encoding="utf-8")
    first = makemessages_into_copy(package, tmp_path / "one")
    for language in ("cy", "ar"):
        made = first / language / "LC_MESSAGES" / "django.po"
        shutil.copy(made, package / "locale" / language / "LC_MESSAGES" / "django.po")

    assert entry_keys(package / "locale" / "cy" / "LC_MESSAGES" / "django.po") == {
        ("", "Sign in", ""),
        ("skill category", "Other", ""),
        ("", "%(count)d hour", "%(count)d hours"),
    }
    # The same code: nothing changes, though the creation date does.
    assert drift(package / "locale", makemessages_into_copy(package, tmp_path / "two")) == []

    (package / "views.py").write_text(
        SAMPLE_CODE.replace('_("Sign in")', '_("Join")'), encoding="utf-8"
    )
    changes = drift(package / "locale", makemessages_into_copy(package, tmp_path / "three"))
    assert "cy: new ('', 'Join', '')" in changes
    assert "ar: gone ('', 'Sign in', '')" in changes
    assert not [change for change in changes if "Only in a test" in change]


def test_a_finished_catalogue_has_no_problems(tmp_path):
    path = sample_catalogue(
        tmp_path,
        'msgid "Sign in"\nmsgstr "Mewngofnodi"\n\n'
        'msgid "Hello %(name)s, <a href=\\"%(url)s\\">see</a>"\n'
        'msgstr "Helo %(name)s, <a href=\\"%(url)s\\">gweler</a>"\n\n'
        + plural_entry(
            "%(count)d hour",
            "%(count)d hours",
            ["%(count)d awr", "awr", "dwy awr", "tair awr", "chwe awr", "%(count)d awr"],
        ),
    )

    assert catalogue_problems(path) == []


def test_untranslated_fuzzy_and_short_plurals_are_problems(tmp_path):
    path = sample_catalogue(
        tmp_path,
        'msgid "Sign in"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Join"\nmsgstr "Ymuno"\n\n'
        + plural_entry("%(count)d hour", "%(count)d hours", ["awr", "%(count)d awr"])
        + plural_entry("%(n)s day", "%(n)s days", ["", "diwrnod", "", "", "", "%(n)s"]),
    )

    problems = catalogue_problems(path)

    assert problems == [
        "'Sign in': not translated",
        "'Join': fuzzy",
        "'%(count)d hour': 2 plural forms, the header says 6",
        "'%(n)s day' form 0: not translated",
        "'%(n)s day' form 2: not translated",
        "'%(n)s day' form 3: not translated",
        "'%(n)s day' form 4: not translated",
    ]


def test_placeholders_and_tags_are_kept(tmp_path):
    path = sample_catalogue(
        tmp_path,
        'msgid "%(name)s gave %(hours)s"\nmsgstr "Rhoddodd %(enw)s %(hours)s"\n\n'
        'msgid "Read <strong>this</strong>"\nmsgstr "Darllenwch hwn"\n\n'
        'msgid "%s left"\nmsgstr "ar ôl"\n\n'
        'msgid "\\nTwo lines"\nmsgstr "Dwy linell"\n\n'
        + plural_entry(
            "%(count)d hour",
            "%(count)d hours",
            ["dim", "awr", "dwy awr", "tair awr", "chwe awr", "llawer o oriau"],
        )
        + plural_entry(
            "%(count)d day",
            "%(count)d days with %(name)s",
            ["", "", "", "", "", ""],
        ).replace('msgstr[0] ""', 'msgstr[0] "%(other)s"'),
    )

    problems = catalogue_problems(path)

    assert (
        "'%(name)s gave %(hours)s': placeholders {'%(enw)s': 1, '%(hours)s': 1} differ from "
        in (problems[0])
    )
    assert any("'Read <strong>this</strong>': HTML tags differ" in p for p in problems)
    assert any(p.startswith("'%s left': placeholders") for p in problems)
    assert any(p.startswith("'\\nTwo lines': starts or ends with a newline") for p in problems)
    # Welsh "other" (form 5) covers many numbers: it must say which.
    assert any(p.startswith("'%(count)d hour' form 5: covers many numbers") for p in problems)
    assert not any(p.startswith("'%(count)d hour' form 1") for p in problems)
    assert any(
        "form 0: placeholders the source does not have: ['%(other)s']" in p for p in problems
    )


def test_the_forms_that_cover_many_numbers():
    assert many_number_forms(f"Plural-Forms: {WELSH_PLURALS}", 6) == {5}
    assert many_number_forms(f"Plural-Forms: {ARABIC_PLURALS}", 6) == {3, 4, 5}
    assert many_number_forms("nplurals=2; plural=(n != 1);", 2) == {1}


def test_a_catalogue_without_nplurals_is_a_problem(tmp_path):
    path = sample_catalogue(tmp_path, 'msgid "Sign in"\nmsgstr "Mewngofnodi"\n', plurals="")

    assert catalogue_problems(path) == [f"{path}: no nplurals in the Plural-Forms header"]
