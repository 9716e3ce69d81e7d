"""BM25 over the indexed items of one kind, with ParkBridge's language-aware tokens.

bm25s builds a static index, so each process rebuilds its index of a kind when the index
generation moves on; the tokens are stored with each item, so a rebuild does not tokenize
again (docs/benchmarks.md has the rebuild time at 100,000 items).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection

from parkbridge.core.permissions import VisibilityScope, visible_mask
from parkbridge.matching.bridging import balanced_scores
from parkbridge.matching.models import IndexedItem, IndexState
from parkbridge.matching.text import script_of


@dataclass
class _KindIndex:
    generation: tuple[str, int]
    object_ids: np.ndarray
    owner_ids: np.ndarray
    confidentiality: np.ndarray
    retriever: object | None
    vocabulary: set[str]
    scripts: frozenset[str]


class LexicalIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kinds: dict[tuple[str, str], _KindIndex] = {}

    def _index_of(self, kind: str) -> _KindIndex:
        state = IndexState.objects.values_list("identity", "generation").first()
        generation = (state[0], state[1]) if state else ("", 0)
        key = (str(connection.settings_dict["NAME"]), kind)
        cached = self._kinds.get(key)
        if cached is not None and cached.generation == generation:
            return cached
        with self._lock:
            rows = list(
                IndexedItem.objects.filter(kind=kind)
                .exclude(lexical_tokens="")
                .order_by("object_id")
                .values_list("object_id", "owner_id", "confidentiality", "lexical_tokens")
            )
            corpus = [row[3].split(" ") for row in rows]
            retriever = None
            vocabulary: set[str] = set()
            if corpus:
                import bm25s

                # bm25s sets its own logger to DEBUG on import and would log every build.
                logging.getLogger("bm25s").setLevel(logging.WARNING)
                retriever = bm25s.BM25()
                retriever.index(corpus, show_progress=False)
                vocabulary = set(retriever.vocab_dict)
            built = _KindIndex(
                generation=generation,
                object_ids=np.array([row[0] for row in rows], dtype=np.int64),
                owner_ids=np.array(
                    [-1 if row[1] is None else row[1] for row in rows], dtype=np.int64
                ),
                confidentiality=np.array([row[2] for row in rows], dtype="<U10"),
                retriever=retriever,
                vocabulary=vocabulary,
                scripts=frozenset(script_of(term) for term in vocabulary),
            )
            self._kinds[key] = built
            return built

    def scripts(self, kind: str) -> frozenset[str]:
        """The scripts the kind's terms are written in: bridging has work only where the
        request's terms are in another."""
        return self._index_of(kind).scripts

    def coverage(self, kind: str, tokens: list[str], bridged: Collection[str] = ()) -> float:
        """The share of the query's distinct terms that occur at all among items of `kind`, or
        were bridged to a term that does: near zero for a Russian query over English texts
        that nothing bridges, where BM25 has nothing to say."""
        distinct = set(tokens)
        if not distinct:
            return 0.0
        found = (distinct & self._index_of(kind).vocabulary) | (distinct & set(bridged))
        return len(found) / len(distinct)

    def scores(
        self,
        kind: str,
        tokens: list[str],
        *,
        alternatives: Sequence[Sequence[str]] = (),
        scope: VisibilityScope,
        shared_object_ids: frozenset[int],
        excluded_object_ids: frozenset[int],
        limit: int,
    ) -> dict[int, float]:
        """BM25 scores of the best `limit` items the viewer may see, by object id.
        `alternatives` are bridged terms grouped by the request term they translate
        (bridging.balanced_scores)."""
        index = self._index_of(kind)
        if index.retriever is None:
            return {}
        scores = balanced_scores(
            index.retriever.get_scores,  # type: ignore[attr-defined]
            index.vocabulary,
            tokens,
            alternatives,
        )
        if scores is None:
            return {}
        mask = visible_mask(
            scope,
            confidentiality=index.confidentiality,
            owner_ids=index.owner_ids,
            shared_with_viewer=np.isin(
                index.object_ids, np.fromiter(shared_object_ids, dtype=np.int64)
            ),
        )
        if excluded_object_ids:
            mask &= ~np.isin(index.object_ids, np.fromiter(excluded_object_ids, dtype=np.int64))
        scores = np.where(mask & (scores > 0), scores, 0.0)
        count = int(np.count_nonzero(scores))
        if not count:
            return {}
        top = np.argpartition(-scores, min(limit, count) - 1)[: min(limit, count)]
        return {int(index.object_ids[i]): float(scores[i]) for i in top if scores[i] > 0}


lexical_index = LexicalIndex()
