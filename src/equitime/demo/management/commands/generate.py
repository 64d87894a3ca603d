import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from equitime.core.errors import DomainError
from equitime.demo import generate
from equitime.exchanges.models import Status


class Command(BaseCommand):
    help = (
        "Generate a community at the size of a real health system (members, listings with "
        "their search rows, exchanges in every state, the ledger, notifications) for "
        "benchmarks, then verify the ledger. Run it on a freshly migrated database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10_000)
        parser.add_argument("--listings", type=int, default=100_000)
        parser.add_argument("--exchanges", type=int, default=200_000)
        parser.add_argument(
            "--seed",
            type=int,
            default=generate.DEFAULT_SEED,
            help="The same seed builds the same community (dated from when it runs).",
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "Generated members share a published password; this never runs in production."
            )

        def progress(line: str) -> None:
            self.stderr.write(line)
            sys.stderr.flush()

        try:
            result = generate.generate(
                members=options["members"],
                listings=options["listings"],
                exchanges=options["exchanges"],
                seed=options["seed"],
                progress=progress,
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error

        self.stdout.write(f"\nGenerated in {result.seconds:.0f} s. Rows now in each table:")
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<28} {count:>10,}")
        by_status = ", ".join(
            f"{Status(status).label.lower()} {count:,}"
            for status, count in result.exchange_statuses.items()
        )
        self.stdout.write(f"  generated exchanges by status: {by_status}")
        self.stdout.write(f"  donations: {result.donations:,}")
        for what, count in result.adjusted.items():
            self.stdout.write(f"  for want of credits, {count:,} exchanges: {what}")
        self.stdout.write(
            f"  search: {result.common_word!r} finds {result.common_hits:,} listings, "
            f"{result.rare_word!r} finds {result.rare_hits:,}"
        )
        report = result.ledger
        self.stdout.write(f"\nLedger: {report.accounts:,} accounts, {report.transfers:,} transfers")
        for check in report.checks:
            mark = self.style.SUCCESS("  ok  ") if check.ok else self.style.ERROR("  FAIL")
            self.stdout.write(f"{mark}  {check.name}")
            for problem in check.problems[:20]:
                self.stdout.write(f"          - {problem}")
        if not report.ok:
            raise CommandError(f"The ledger has {len(report.problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS("The ledger is consistent."))
        self.stdout.write(
            f"\nBenchmark member: {generate.BENCH_EMAIL}  password: {generate.BENCH_PASSWORD}\n"
            f"Every other @{generate.SCALE_DOMAIN} member signs in with the same password."
        )
