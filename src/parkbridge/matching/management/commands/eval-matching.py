from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parkbridge.matching.embedders import load_embedder
from parkbridge.matching.evaluation import (
    DensePartnerRanker,
    HybridPartnerRanker,
    LexicalPartnerRanker,
    Metrics,
    cache_file,
    embed_profiles,
    embed_terms,
    evaluate,
    load_partner_search,
)
from parkbridge.matching.glossary import default_glossary


class Command(BaseCommand):
    help = (
        "Measure partner search on the benchmark data: Recall@10, Recall@50, MRR, nDCG@10 and "
        "query latency, for lexical (BM25), and with --dense also dense and hybrid ranking."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--data", default="../shared/bench/partner-search", help="partner-search data folder"
        )
        parser.add_argument(
            "--queries",
            action="append",
            help="a queries file of {project_id, lang, text} lines (e.g. xling-dev.jsonl), "
            "repeated to join several; default: the dev projects of projects.jsonl.gz",
        )
        parser.add_argument("--split", default="dev", help="split of projects.jsonl.gz to query")
        parser.add_argument("--limit", type=int, help="use only the first N queries")
        parser.add_argument(
            "--best-of", type=int, default=3, help="an organization's score: sum of its N best"
        )
        parser.add_argument(
            "--dense",
            action="store_true",
            help="also dense and hybrid ranking (embeds the profile projects once, then caches)",
        )
        parser.add_argument("--embedder", default=settings.PARKBRIDGE_EMBEDDER)

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(options["data"])
        if not (data_dir / "projects.jsonl.gz").exists():
            raise CommandError(f"No projects.jsonl.gz in {data_dir}")
        given = options["queries"]
        # call_command() passes one file as a plain string.
        queries = [Path(path) for path in ([given] if isinstance(given, str) else given or [])]
        for path in queries:
            if not path.exists():
                raise CommandError(f"No queries file {path}")
        started = time.perf_counter()
        data = load_partner_search(data_dir, queries or None, options["split"], options["limit"])
        ranker = LexicalPartnerRanker(data, best_of=options["best_of"])
        self.stdout.write(
            f"{len(data.profile_ids)} profile projects, {len(data.organization_ids)} "
            f"organizations, {len(data.queries)} queries; index built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(
            f"{'method':<22} {'R@10':>6} {'R@50':>6} {'MRR':>6} {'nDCG@10':>8} "
            f"{'p50 ms':>7} {'p95 ms':>7}"
        )
        rankers: dict[str, Any] = {"bm25": ranker}
        if options["dense"]:
            embedder = load_embedder(options["embedder"])
            folder = Path(settings.VAR_DIR) / "benchmarks"
            cache = cache_file(folder, embedder, "items", len(data.profile_ids))
            vectors = embed_profiles(data, embedder, cache, progress=self._progress)
            dense = DensePartnerRanker(data, embedder, vectors, best_of=options["best_of"])
            rankers["dense"] = dense
            rankers["hybrid-nobridge"] = HybridPartnerRanker(ranker, dense)
            term_cache = cache_file(folder, embedder, "terms", len(data.profile_ids))
            term_vectors = embed_terms(ranker.words, embedder, term_cache, self._term_progress)
            rankers["hybrid-noglossary"] = HybridPartnerRanker(
                ranker, dense, term_vectors=term_vectors
            )
            rankers["hybrid"] = HybridPartnerRanker(
                ranker, dense, term_vectors=term_vectors, glossary=default_glossary()
            )
        languages: list[str | None] = [None]
        if queries:
            languages = [*sorted({query.language for query in data.queries})]
        for name, method in rankers.items():
            for language in languages:
                subset = [q for q in data.queries if language is None or q.language == language]
                label = name if language is None else f"{name} [{language}]"
                self._row(label, evaluate(method.rank, subset))

    def _term_progress(self, done: int, total: int) -> None:
        if done % 8192 < 512 or done == total:
            self.stderr.write(f"embedded {done}/{total} terms")

    def _progress(self, done: int, total: int) -> None:
        if done % 2048 < 64 or done == total:
            self.stderr.write(f"embedded {done}/{total} profile projects")

    def _row(self, name: str, metrics: Metrics) -> None:
        self.stdout.write(
            f"{name:<22} {metrics.recall_at_10:6.3f} {metrics.recall_at_50:6.3f} "
            f"{metrics.mrr:6.3f} {metrics.ndcg_at_10:8.3f} {metrics.latency_p50_ms:7.1f} "
            f"{metrics.latency_p95_ms:7.1f}"
        )
