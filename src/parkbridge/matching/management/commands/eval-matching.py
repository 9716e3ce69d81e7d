from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parkbridge.matching.evaluation import (
    LexicalPartnerRanker,
    Metrics,
    evaluate,
    load_partner_search,
)


class Command(BaseCommand):
    help = (
        "Measure partner search on the benchmark data: Recall@10, Recall@50, MRR, nDCG@10 and "
        "query latency. Lexical (BM25) ranking is measured now; dense and hybrid ranking join "
        "it as they are built."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--data", default="../shared/bench/partner-search", help="partner-search data folder"
        )
        parser.add_argument(
            "--queries",
            help="a queries file of {project_id, lang, text} lines (e.g. xling-dev.jsonl); "
            "default: the dev projects of projects.jsonl.gz",
        )
        parser.add_argument("--split", default="dev", help="split of projects.jsonl.gz to query")
        parser.add_argument("--limit", type=int, help="use only the first N queries")
        parser.add_argument(
            "--best-of", type=int, default=3, help="an organization's score: sum of its N best"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(options["data"])
        if not (data_dir / "projects.jsonl.gz").exists():
            raise CommandError(f"No projects.jsonl.gz in {data_dir}")
        queries = Path(options["queries"]) if options["queries"] else None
        if queries is not None and not queries.exists():
            raise CommandError(f"No queries file {queries}")
        started = time.perf_counter()
        data = load_partner_search(data_dir, queries, options["split"], options["limit"])
        ranker = LexicalPartnerRanker(data, best_of=options["best_of"])
        self.stdout.write(
            f"{len(data.profile_ids)} profile projects, {len(data.organization_ids)} "
            f"organizations, {len(data.queries)} queries; index built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(
            f"{'method':<14} {'R@10':>6} {'R@50':>6} {'MRR':>6} {'nDCG@10':>8} "
            f"{'p50 ms':>7} {'p95 ms':>7}"
        )
        if queries is not None:
            languages = sorted({query.language for query in data.queries})
            for language in languages:
                subset = [query for query in data.queries if query.language == language]
                self._row(f"bm25 [{language}]", evaluate(ranker.rank, subset))
        else:
            self._row("bm25", evaluate(ranker.rank, data.queries))

    def _row(self, name: str, metrics: Metrics) -> None:
        self.stdout.write(
            f"{name:<14} {metrics.recall_at_10:6.3f} {metrics.recall_at_50:6.3f} "
            f"{metrics.mrr:6.3f} {metrics.ndcg_at_10:8.3f} {metrics.latency_p50_ms:7.1f} "
            f"{metrics.latency_p95_ms:7.1f}"
        )
