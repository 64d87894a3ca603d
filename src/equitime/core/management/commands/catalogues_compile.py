"""Compile the translation catalogues (``locale/<language>/LC_MESSAGES/django.po``)
into the ``.mo`` files Django reads, in pure Python (polib).

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt``, which a
machine with only Python, make and git does not have; the README's commands
run this instead (``make setup``). A ``.mo`` newer than its ``.po`` is left as
it is. The ``.mo`` files are built, never committed (``.gitignore``).

A catalogue polib cannot read stops the command with its path and the reason.
Whether every message is translated is the tests' business
(``core/tests/test_catalogues.py``), not this command's: a missing
translation shows the English, it never breaks a page.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogue_paths() -> list[Path]:
    """Every ``django.po`` under the project's locale directories."""
    return sorted(
        path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/*.po")
    )


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po) into .mo files, without GNU gettext."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Compile even where the .mo is up to date."
        )

    def handle(self, *args, force: bool = False, **options):
        compiled = 0
        for po_path in catalogue_paths():
            mo_path = po_path.with_suffix(".mo")
            fresh = mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime
            if fresh and not force:
                continue
            try:
                catalogue = polib.pofile(str(po_path), encoding="utf-8")
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: cannot be read: {error}") from error
            part = mo_path.with_suffix(".mo.part")
            catalogue.save_as_mofile(str(part))
            part.replace(mo_path)
            compiled += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Catalogues compiled: {compiled}")
