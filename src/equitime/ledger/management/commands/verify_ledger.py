from typing import Any

from django.core.management.base import BaseCommand, CommandError

from equitime.ledger.verify import verify_ledger


class Command(BaseCommand):
    help = "Check the ledger's invariants; exit non-zero if any is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_ledger()
        self.stdout.write(f"Ledger: {report.accounts} accounts, {report.transfers} transfers\n")
        for check in report.checks:
            if check.ok:
                self.stdout.write(self.style.SUCCESS(f"  ok    {check.name}"))
            else:
                self.stdout.write(self.style.ERROR(f"  FAIL  {check.name}"))
                for problem in check.problems:
                    self.stdout.write(f"          - {problem}")
        if not report.ok:
            raise CommandError(f"The ledger has {len(report.problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS("The ledger is consistent."))
