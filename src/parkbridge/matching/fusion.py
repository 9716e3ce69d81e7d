"""How the lexical and dense channels become one text score: shared by the product's ranking
and the benchmark harness, so that what docs/benchmarks.md reports is what users get."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

Key = TypeVar("Key")

# Chosen on the partner-search dev queries (docs/benchmarks.md).
DENSE_WEIGHT = 0.15
DENSE_Z_FLOOR = 2.0
FULL_FLOOR_SAMPLE = 100
BEST_OF = 3
# Candidates each channel brings before fusion: fewer cost the benchmark's MRR (0.268 with 100
# dense and 200 lexical candidates against 0.285 with 1,000 each).
DENSE_CANDIDATES = 1000
LEXICAL_CANDIDATES = 1000


def dense_evidence(z_score: float, sample_size: int) -> float:
    """How unusually close a passage is: its z-score against a background sample, above a
    floor of 2. A small collection cannot show what is unusual (among 5 passages no z-score
    exceeds 1.8), so the floor comes down with the size of the sample."""
    floor = DENSE_Z_FLOOR * min(1.0, sample_size / FULL_FLOOR_SAMPLE)
    return max(0.0, float(z_score) - floor)


def scaled(values: Mapping[Key, float]) -> dict[Key, float]:
    """Each value over the largest (the best candidate gets 1)."""
    top = max(values.values(), default=0.0)
    return {key: value / top for key, value in values.items()} if top > 0 else {}


def sum_of_best(values: Iterable[float]) -> float:
    """An organization's score in one channel: the sum of its BEST_OF best items."""
    return float(sum(sorted(values, reverse=True)[:BEST_OF]))


def lexical_share(coverage: float) -> float:
    """BM25's weight, given the share of the query's terms found among the target texts."""
    return (1 - DENSE_WEIGHT) * coverage


def fuse(
    lexical: Mapping[Key, float], dense: Mapping[Key, float], coverage: float
) -> dict[Key, float]:
    """Both channels scaled to [0, 1]; BM25 weighs in as far as the query's terms occur in
    the target texts at all (a Russian request over English texts leans on meaning alone)."""
    lexical_weight = lexical_share(coverage)
    keys = set(lexical) | set(dense)
    return {
        key: lexical_weight * lexical.get(key, 0.0) + (1 - lexical_weight) * dense.get(key, 0.0)
        for key in keys
    }
