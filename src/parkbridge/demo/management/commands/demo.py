import time
from typing import Any

from django.core.management.base import BaseCommand
from django.test import override_settings

from parkbridge.demo.services import DEMO_LOGINS, demo_load
from parkbridge.matching.management.progress import progress_bars
from parkbridge.matching.services import reindex


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo dataset, index it for matchmaking, and print the demo "
        "logins. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Indexed in one pass afterwards, with a progress bar, rather than item by item.
        with override_settings(PARKBRIDGE_MATCHING_AUTO_INDEX=False):
            report = demo_load()
        for kind in sorted(set(report.created) | set(report.updated)):
            self.stdout.write(
                f"{kind}: {report.created.get(kind, 0)} created, "
                f"{report.updated.get(kind, 0)} updated"
            )
        self.stdout.write("Indexing for matchmaking (the first time takes a minute or two)…")
        started = time.perf_counter()
        indexed = reindex(progress=progress_bars())
        self.stdout.write(
            f"Matching index: {indexed.indexed} items embedded, {indexed.unchanged} unchanged, "
            f"in {time.perf_counter() - started:.0f} s"
        )
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<28} {login.password:<22} {login.description}")
