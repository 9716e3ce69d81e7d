"""Lexical bridging: BM25 for requests written in another language than the texts they seek.

BM25 finds nothing when a Russian request meets English abstracts: no term is shared. Query
terms are therefore paired with terms of another script among the texts that the dense channel
already found closest, and the pairs' target terms join the BM25 query. A term in the glossary
(matching/glossary.py) is paired with its glossary counterparts that occur there; any other
term with the term that the multilingual model places nearest in meaning ("кремний" to
"silicon", "纳米" to "nano"). Drawing the candidates from the closest texts keeps out false
friends that a whole vocabulary would offer ("сплав", an alloy, sits next to "splash" there)
and the senses of a glossary word that the texts at hand do not use. The target terms join the
BM25 query as alternatives: each request term scores the mean of its targets
(`balanced_scores`).

Shared by the product's ranking and the benchmark harness; the model's settings were chosen
on 78 cross-lingual partner requests, the glossary's and the balancing on 318
(docs/benchmarks.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from parkbridge.matching.glossary import GlossaryHit
from parkbridge.matching.text import script_of

# Texts whose terms are candidates: the nearest by meaning.
BRIDGE_CONTEXT = 100
# e5's word cosines crowd between 0.8 and 0.95; below this, pairs are mostly wrong.
BRIDGE_SIMILARITY = 0.88
# Glossary concepts a request word brings at most: "促进" names promote, foster, boost and four
# more, and a word's rarer senses find texts about something else.
GLOSSARY_SENSES = 3


def bridgeable(query_terms: Sequence[str], candidate_terms: Sequence[str]) -> list[str]:
    """The candidates written in a script that some query term is not written in."""
    query_scripts = {script_of(term) for term in query_terms}
    return sorted({term for term in candidate_terms if query_scripts - {script_of(term)}})


def bridged_terms(
    query_terms: Sequence[str],
    query_vectors: np.ndarray,
    candidate_terms: Sequence[str],
    candidate_vectors: np.ndarray,
    *,
    threshold: float = BRIDGE_SIMILARITY,
) -> dict[str, str]:
    """For each query term, the nearest candidate term of another script, where their
    similarity reaches `threshold`. Vectors are unit length, one row per term."""
    if not len(query_terms) or not len(candidate_terms):
        return {}
    candidate_scripts = np.array([script_of(term) for term in candidate_terms])
    similarities = np.asarray(query_vectors @ candidate_vectors.T, dtype=np.float32)
    bridged: dict[str, str] = {}
    for row, term in enumerate(query_terms):
        scores = np.where(candidate_scripts != script_of(term), similarities[row], -1.0)
        best = int(np.argmax(scores))
        if scores[best] >= threshold:
            bridged[term] = candidate_terms[best]
    return bridged


def pair_terms(
    words: dict[str, str],
    context_terms: Iterable[str],
    stored_vectors: Callable[[list[str]], tuple[list[str], np.ndarray]],
    embed_terms: Callable[[list[str]], np.ndarray],
) -> dict[str, str]:
    """The request's terms (each with the readable word it came from) paired with the terms
    of the closest texts, as the product and the benchmark both do.

    `stored_vectors` gives the candidates that have a stored vector, with those vectors;
    `embed_terms` embeds request terms, from their words. Only request terms that some
    candidate's script differs from are embedded: the others have nothing to pair with.
    """
    candidates = bridgeable(list(words), list(context_terms))
    if not candidates:
        return {}
    candidate_terms, candidate_vectors = stored_vectors(candidates)
    scripts = {script_of(term) for term in candidate_terms}
    query_terms = [term for term in words if scripts - {script_of(term)}]
    if not candidate_terms or not query_terms:
        return {}
    return bridged_terms(query_terms, embed_terms(query_terms), candidate_terms, candidate_vectors)


@dataclass(frozen=True)
class Bridges:
    """What bridging found for a request: (request term, target term) pairs, whose target terms
    join the BM25 query, and the request terms that have a counterpart (for coverage)."""

    pairs: tuple[tuple[str, str], ...] = ()
    covered: frozenset[str] = frozenset()
    # Readable forms of glossary target terms, to show people: term -> form.
    forms: Mapping[str, str] = field(default_factory=dict)

    @property
    def targets(self) -> list[str]:
        return [target for _term, target in self.pairs]

    @property
    def alternatives(self) -> list[tuple[str, ...]]:
        """The target terms of each request term: its alternative translations."""
        grouped: dict[str, list[str]] = {}
        for term, target in self.pairs:
            grouped.setdefault(term, []).append(target)
        return [tuple(targets) for targets in grouped.values()]

    def __or__(self, other: Bridges) -> Bridges:
        pairs = tuple(dict.fromkeys((*self.pairs, *other.pairs)))
        return Bridges(pairs, self.covered | other.covered, {**self.forms, **other.forms})


def balanced_scores(
    score: Callable[[list[str]], np.ndarray],
    vocabulary: Container[str],
    terms: Iterable[str],
    alternatives: Iterable[Sequence[str]] = (),
) -> np.ndarray | None:
    """BM25 scores (`score` sums its terms' scores per text) of a request's own `terms` plus,
    for each bridged request term, the mean score of its alternative translations.

    A request word then weighs as much as one word however many translations it has: added
    flat, "метод" with method, scheme and technique would count three times, and texts using
    two of them would outrank those that share the request's rarer, more specific words. This
    is the balanced translation of dictionary-based cross-language retrieval; on the 318
    cross-lingual requests it raised Recall@10 in both languages (docs/benchmarks.md). Terms
    outside `vocabulary` (the index's) are left out first. None where no term is left.
    """
    # Terms that share a weight are scored in one call: a sum over terms is a sum of calls.
    by_share: dict[int, list[str]] = defaultdict(list)
    by_share[1].extend(term for term in terms if term in vocabulary)
    for targets in alternatives:
        known = [target for target in targets if target in vocabulary]
        by_share[len(known)].extend(known)
    total: np.ndarray | None = None
    for count, shared in by_share.items():
        if shared:
            part = np.asarray(score(shared), dtype=np.float32) / count
            total = part if total is None else total + part
    return total


def bridge(
    words: dict[str, str],
    glossary_hits: Iterable[GlossaryHit],
    context_terms: Iterable[str],
    stored_vectors: Callable[[list[str]], tuple[list[str], np.ndarray]],
    embed_terms: Callable[[list[str]], np.ndarray],
) -> Bridges:
    """Glossary counterparts that occur among the closest texts first; the request's other terms
    paired by meaning (`pair_terms`)."""
    context = set(context_terms)
    pairs: dict[tuple[str, str], None] = {}
    covered: set[str] = set()
    forms: dict[str, str] = {}
    concepts_of: dict[str, int] = defaultdict(int)
    for hit in sorted(glossary_hits, key=lambda hit: hit.rank):
        targets = [target for target in hit.targets if target in context]
        if targets and concepts_of[hit.shown_term] < GLOSSARY_SENSES:
            concepts_of[hit.shown_term] += 1
            pairs.update(((hit.shown_term, target), None) for target in targets)
            covered |= hit.request_terms or {hit.shown_term}
            forms.update(
                (target, form)
                for target, form in zip(hit.targets, hit.target_forms, strict=False)
                if target in context
            )
    rest = {term: word for term, word in words.items() if term not in covered}
    paired = pair_terms(rest, context, stored_vectors, embed_terms)
    pairs.update((pair, None) for pair in paired.items())
    return Bridges(tuple(pairs), frozenset(covered | paired.keys()), forms)
