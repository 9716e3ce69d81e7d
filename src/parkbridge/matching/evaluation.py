"""Measuring matchmaking on real data: the partner-search benchmark (../shared/bench).

The task: for an R&D project, rank all organizations so that its real partner institutions
come first. An organization is represented by its own "profile" projects (their texts, never
its name). The measures are Recall@10, Recall@50, MRR and nDCG@10, averaged over queries.
"""

from __future__ import annotations

import gzip
import json
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from parkbridge.matching.bridging import BRIDGE_CONTEXT, Bridges, balanced_scores, bridge
from parkbridge.matching.embedders import passages_of
from parkbridge.matching.fusion import (
    DENSE_CANDIDATES,
    LEXICAL_CANDIDATES,
    dense_evidence,
    fuse,
    scaled,
    sum_of_best,
)
from parkbridge.matching.glossary import Glossary
from parkbridge.matching.text import terms_with_words, tokenize


@dataclass
class BenchmarkQuery:
    project_id: str
    text: str
    language: str
    relevant: frozenset[str]  # organization ids


@dataclass
class PartnerSearchData:
    profile_ids: list[str]
    profile_texts: list[str]
    profile_organizations: list[list[str]]  # organizations of each profile project
    organization_ids: list[str]
    queries: list[BenchmarkQuery] = field(default_factory=list)


def _read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def load_partner_search(
    data_dir: Path,
    queries: Path | Sequence[Path] | None = None,
    split: str = "dev",
    limit: int | None = None,
) -> PartnerSearchData:
    """Profile projects and queries; `queries` is one or more files of {project_id, lang,
    text} lines (the cross-lingual sets) or None for the projects of `split` in
    projects.jsonl.gz."""
    projects = list(_read_jsonl(data_dir / "projects.jsonl.gz"))
    organizations_of: dict[str, list[str]] = defaultdict(list)
    for row in _read_jsonl(data_dir / "participants.jsonl.gz"):
        organizations_of[row["project_id"]].append(row["org_id"])
    profile = [project for project in projects if project["split"] == "profile"]
    data = PartnerSearchData(
        profile_ids=[project["id"] for project in profile],
        profile_texts=[f"{project['title']}\n{project['objective']}" for project in profile],
        profile_organizations=[organizations_of[project["id"]] for project in profile],
        organization_ids=sorted({org for p in profile for org in organizations_of[p["id"]]}),
    )
    if queries is not None:
        files = [queries] if isinstance(queries, Path) else list(queries)
        for row in (row for path in files for row in _read_jsonl(path)):
            relevant = frozenset(organizations_of[row["project_id"]])
            data.queries.append(
                BenchmarkQuery(row["project_id"], row["text"], row["lang"], relevant)
            )
    else:
        for project in projects:
            if project["split"] == split:
                data.queries.append(
                    BenchmarkQuery(
                        project["id"],
                        f"{project['title']}\n{project['objective']}",
                        project.get("language") or "en",
                        frozenset(organizations_of[project["id"]]),
                    )
                )
    if limit is not None:
        data.queries = data.queries[:limit]
    return data


def organization_scores(
    project_scores: np.ndarray,
    project_organizations: Sequence[Sequence[int]],
    organization_count: int,
    *,
    best_of: int = 1,
) -> np.ndarray:
    """An organization's score: the sum of its `best_of` best-scoring projects."""
    per_organization: list[list[float]] = [[] for _ in range(organization_count)]
    candidates = np.nonzero(project_scores > 0)[0]
    for index in candidates:
        for organization in project_organizations[int(index)]:
            per_organization[organization].append(float(project_scores[index]))
    scores = np.zeros(organization_count, dtype=np.float32)
    for organization, values in enumerate(per_organization):
        if values:
            values.sort(reverse=True)
            scores[organization] = sum(values[:best_of])
    return scores


@dataclass
class Metrics:
    recall_at_10: float
    recall_at_50: float
    mrr: float
    ndcg_at_10: float
    latency_p50_ms: float
    latency_p95_ms: float
    queries: int


def evaluate(
    rank: Callable[[BenchmarkQuery], list[str]], queries: Sequence[BenchmarkQuery]
) -> Metrics:
    """Run `rank` (query -> organization ids, best first) on every query and average."""
    recall10, recall50, reciprocal, ndcg, latencies = [], [], [], [], []
    for query in queries:
        started = time.perf_counter()
        ranking = rank(query)
        latencies.append((time.perf_counter() - started) * 1000)
        relevant = query.relevant
        if not relevant:
            continue
        recall10.append(len(relevant & set(ranking[:10])) / len(relevant))
        recall50.append(len(relevant & set(ranking[:50])) / len(relevant))
        first = next((i for i, org in enumerate(ranking) if org in relevant), None)
        reciprocal.append(0.0 if first is None else 1.0 / (first + 1))
        gain = sum(1 / math.log2(i + 2) for i, org in enumerate(ranking[:10]) if org in relevant)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
        ndcg.append(gain / ideal)
    latencies.sort()
    return Metrics(
        recall_at_10=float(np.mean(recall10)) if recall10 else 0.0,
        recall_at_50=float(np.mean(recall50)) if recall50 else 0.0,
        mrr=float(np.mean(reciprocal)) if reciprocal else 0.0,
        ndcg_at_10=float(np.mean(ndcg)) if ndcg else 0.0,
        latency_p50_ms=latencies[len(latencies) // 2] if latencies else 0.0,
        latency_p95_ms=latencies[max(0, math.ceil(len(latencies) * 0.95) - 1)]
        if latencies
        else 0.0,
        queries=len(recall10),
    )


class LexicalPartnerRanker:
    """BM25 over the profile projects with ParkBridge's tokenizer, aggregated per organization."""

    def __init__(self, data: PartnerSearchData, *, best_of: int = 3) -> None:
        import bm25s

        self.organization_ids = data.organization_ids
        index_of = {org: i for i, org in enumerate(data.organization_ids)}
        self.project_organizations = [
            [index_of[org] for org in orgs] for orgs in data.profile_organizations
        ]
        self.best_of = best_of
        # Each term's first word, and each project's distinct terms, for lexical bridging.
        self.words: dict[str, str] = {}
        corpus: list[list[str]] = []
        for text in data.profile_texts:
            pairs = terms_with_words(text, "en")
            for term, word in pairs:
                self.words.setdefault(term, word)
            corpus.append([term for term, _word in pairs])
        self.project_terms = [sorted(set(tokens)) for tokens in corpus]
        self.retriever = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)

    def project_scores(
        self, text: str, language: str, alternatives: Sequence[Sequence[str]] = ()
    ) -> np.ndarray:
        """BM25 of the request's terms, with bridged terms as alternatives, as the product
        scores them (bridging.balanced_scores)."""
        scores = balanced_scores(
            self.retriever.get_scores,
            self.retriever.vocab_dict,
            tokenize(text, language),
            alternatives,
        )
        if scores is None:
            return np.zeros(len(self.project_organizations), dtype=np.float32)
        return scores

    def rank(self, query: BenchmarkQuery) -> list[str]:
        return _ranking(self, self.project_scores(query.text, query.language))


def embed_profiles(
    data: PartnerSearchData,
    embedder: Any,
    cache: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """One vector per profile project: its first passage (title and opening), cached on disk.

    Encoded as matching encodes indexed items: symmetric, like the queries (see
    embedders.Embedder.embed_items).

    Embedding every passage of 26,000 abstracts takes hours on two cores (docs/benchmarks.md);
    the first passage carries the title and the project's aim.
    """

    def first_passages() -> list[str]:
        return [(passages_of(embedder, text, limit=1) or [""])[0] for text in data.profile_texts]

    return _embedded_and_cached(
        embedder, "ids", data.profile_ids, first_passages, 64, cache, progress
    )


@dataclass
class TermVectors:
    """The benchmark's counterpart of the product's stored term vectors."""

    terms: list[str]
    vectors: np.ndarray

    def __post_init__(self) -> None:
        self.row_of = {term: row for row, term in enumerate(self.terms)}

    def of(self, terms: Sequence[str]) -> tuple[list[str], np.ndarray]:
        found = [term for term in terms if term in self.row_of]
        return found, self.vectors[[self.row_of[term] for term in found]]


def embed_terms(
    words: dict[str, str],
    embedder: Any,
    cache: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TermVectors:
    """Every profile term's vector, from its word, as indexing stores them; cached on disk."""
    terms = sorted(words)
    vectors = _embedded_and_cached(
        embedder, "terms", terms, lambda: [words[term] for term in terms], 512, cache, progress
    )
    # Stored as float16 by the product too: measure what users get.
    return TermVectors(terms, vectors.astype(np.float16).astype(np.float32))


def _embedded_and_cached(
    embedder: Any,
    key_name: str,
    keys: list[str],
    texts_of: Callable[[], list[str]],
    batch: int,
    cache: Path | None,
    progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    """One vector per key, read from `cache` when it was written by the same encoding for the
    same `keys` (saved under `key_name`), else embedded from `texts_of()` in batches and
    written there (the texts are only made when needed: chunking 26,000 abstracts takes a
    while)."""
    if cache is not None and cache.exists():
        with np.load(cache) as saved:
            if saved["model"].item() == _encoding(embedder) and saved[key_name].tolist() == keys:
                return saved["vectors"].astype(np.float32)
    texts = texts_of()
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for start in range(0, len(texts), batch):
        vectors[start : start + batch] = embedder.embed_items(texts[start : start + batch])
        if progress is not None:
            progress(min(start + batch, len(texts)), len(texts))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as out:
            arrays = {
                "model": np.array(_encoding(embedder)),
                "vectors": vectors.astype(np.float16),
                key_name: np.array(keys),
            }
            # numpy's stubs read a ** mapping as its allow_pickle keyword.
            np.savez(out, **arrays)  # type: ignore[arg-type]
    return vectors


def cache_file(folder: Path, embedder: Any, what: str, count: int) -> Path:
    """Where the benchmark caches `what` ("items", "terms") of `count` profile projects."""
    safe_name = embedder.name.replace("/", "_").replace(":", "_")
    return folder / f"{safe_name}-{what}-{count}.npz"


def _encoding(embedder: Any) -> str:
    return f"{embedder.name}/items"


class DensePartnerRanker:
    """Cosine similarity of the query with each profile project, aggregated per organization."""

    def __init__(
        self, data: PartnerSearchData, embedder: Any, vectors: np.ndarray, *, best_of: int = 3
    ) -> None:
        self.embedder = embedder
        self.vectors = vectors
        self.organization_ids = data.organization_ids
        index_of = {org: i for i, org in enumerate(data.organization_ids)}
        self.project_organizations = [
            [index_of[org] for org in orgs] for orgs in data.profile_organizations
        ]
        self.best_of = best_of

    def similarities(self, text: str) -> np.ndarray:
        query = (passages_of(self.embedder, text, limit=1) or [text])[0]
        return np.asarray(self.vectors @ self.embedder.embed_items([query])[0], dtype=np.float32)

    def project_scores(self, text: str, language: str) -> np.ndarray:
        scores = self.similarities(text)
        # Only the closest projects take part, as a vector index would return them.
        nearest = min(500, len(scores))
        keep = np.argpartition(-scores, nearest - 1)[:nearest]
        sparse = np.zeros_like(scores)
        sparse[keep] = np.maximum(scores[keep], 1e-6)
        return sparse

    def rank(self, query: BenchmarkQuery) -> list[str]:
        return _ranking(self, self.project_scores(query.text, query.language))


class HybridPartnerRanker:
    """The product's fusion (parkbridge.matching.fusion) on the benchmark: BM25 and dense
    evidence per project, each summed over an organization's best projects, scaled, and
    weighted by how many query terms occur in the profile texts."""

    def __init__(
        self,
        lexical: LexicalPartnerRanker,
        dense: DensePartnerRanker,
        *,
        dense_candidates: int = DENSE_CANDIDATES,
        lexical_candidates: int = LEXICAL_CANDIDATES,
        term_vectors: TermVectors | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.lexical = lexical
        self.dense = dense
        self.term_vectors = term_vectors
        self.glossary = glossary
        self.dense_candidates = dense_candidates
        self.lexical_candidates = lexical_candidates
        self.organization_ids = lexical.organization_ids
        self.project_organizations = lexical.project_organizations

    def _per_organization(self, project_values: dict[int, float]) -> dict[int, float]:
        parts: dict[int, list[float]] = defaultdict(list)
        for project, value in project_values.items():
            for organization in self.project_organizations[project]:
                parts[organization].append(value)
        return {organization: sum_of_best(values) for organization, values in parts.items()}

    def _bridged(self, query: BenchmarkQuery, similarities: np.ndarray) -> Bridges:
        """As the product's ranking does: query terms paired with terms of another script
        among the projects closest in meaning, through the glossary or by meaning."""
        if self.term_vectors is None:
            return Bridges()
        words: dict[str, str] = {}
        for term, word in terms_with_words(query.text, query.language):
            words.setdefault(term, word)
        context = np.argsort(-similarities)[:BRIDGE_CONTEXT]
        return bridge(
            words,
            self.glossary.hits(query.text, query.language) if self.glossary else [],
            (term for i in context for term in self.lexical.project_terms[i]),
            self.term_vectors.of,
            lambda terms: self.dense.embedder.embed_items([words[term] for term in terms]),
        )

    def rank(self, query: BenchmarkQuery) -> list[str]:
        similarities = self.dense.similarities(query.text)
        return self.fused(similarities, query, self._bridged(query, similarities))

    def fused(
        self, similarities: np.ndarray, lexical_query: BenchmarkQuery, bridges: Bridges
    ) -> list[str]:
        """Organizations by the fused score of the dense similarities and BM25 on
        `lexical_query`'s terms with the bridged ones (benchmarks/bridging_ceiling.py gives BM25
        another request than the dense channel)."""
        distinct = set(tokenize(lexical_query.text, lexical_query.language))
        vocabulary = self.lexical.retriever.vocab_dict
        found = {t for t in distinct if t in vocabulary} | (distinct & bridges.covered)
        coverage = len(found) / len(distinct) if distinct else 0
        lexical_scores = self.lexical.project_scores(
            lexical_query.text, lexical_query.language, bridges.alternatives
        )
        top_lexical = np.argsort(-lexical_scores)[: self.lexical_candidates]
        lexical = {int(i): float(lexical_scores[i]) for i in top_lexical if lexical_scores[i] > 0}
        spread = float(similarities.std()) or 1.0
        z_scores = (similarities - similarities.mean()) / spread
        dense: dict[int, float] = {}
        for i in np.argsort(-similarities)[: self.dense_candidates]:
            evidence = dense_evidence(float(z_scores[i]), len(similarities))
            if evidence > 0:
                dense[int(i)] = evidence
        fused = fuse(
            scaled(self._per_organization(lexical)),
            scaled(self._per_organization(dense)),
            coverage,
        )
        order = sorted(fused, key=lambda organization: -fused[organization])[:100]
        return [self.organization_ids[i] for i in order if fused[i] > 0]


def _ranking(ranker: Any, project_scores: np.ndarray) -> list[str]:
    scores = organization_scores(
        project_scores,
        ranker.project_organizations,
        len(ranker.organization_ids),
        best_of=ranker.best_of,
    )
    order = np.argsort(-scores, kind="stable")[:100]
    return [ranker.organization_ids[i] for i in order if scores[i] > 0]
