"""Bring the catalogues up to date with the code: ``make messages``.

Runs Django's makemessages (GNU gettext's xgettext) from the package's
directory with the options of ``core.catalogues.MAKEMESSAGES_ARGS``, the same
the catalogue tests use. New sentences arrive untranslated; the translators
take it from there (README, "Languages and translators").
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from equitime.core.catalogues import MAKEMESSAGES_ARGS


class Command(BaseCommand):
    help = "Update the translation catalogues (.po) from the code and templates."

    def handle(self, *args, **options):
        package = Path(settings.LOCALE_PATHS[0]).parent
        here = Path.cwd()
        os.chdir(package)
        try:
            call_command("makemessages", *MAKEMESSAGES_ARGS, verbosity=options["verbosity"])
        finally:
            os.chdir(here)
