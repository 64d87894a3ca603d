"""Django's ``flush``, allowed past the ledger's immutability triggers.

Emptying every table is the database-reset path (tests' teardown, a fresh
start), not an edit of the books; see ``equitime.ledger.reset``.
"""

from typing import Any

from django.core.management.commands import flush

from equitime.ledger.reset import ledger_reset


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with ledger_reset(using=options["database"]):
            return super().handle(**options)
