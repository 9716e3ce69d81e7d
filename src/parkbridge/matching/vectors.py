"""Where passage vectors are searched: one interface, two backends.

- SQLite: an in-process index (exact below EXACT_SEARCH_LIMIT passages, usearch HNSW above),
  loaded from the passages' stored vectors, kept as a snapshot under ./var/matching/ and
  brought up to date whenever the index generation in the database moves on.
- PostgreSQL: a pgvector column with an HNSW index, searched in SQL.

Both apply the confidentiality rule inside the search (core.permissions), so a search for
twenty visible passages never comes back short because invisible ones were closer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.db import connection

from parkbridge.core.permissions import VisibilityScope, visible_mask
from parkbridge.matching.calibration import centred, centroids, raw_vector
from parkbridge.matching.index import VectorIndex, index_for
from parkbridge.matching.models import IndexState, MatchableKind, Passage

logger = logging.getLogger(__name__)

KIND_CODES = {kind: code for code, kind in enumerate(MatchableKind.values, start=1)}


@dataclass(frozen=True)
class PassageFilter:
    """Which passages a search may return: one kind, visible to the viewer, minus exclusions."""

    kind: str
    scope: VisibilityScope
    shared_object_ids: frozenset[int] = frozenset()  # restricted items shared with the viewer
    excluded_object_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PassageHit:
    passage_id: int
    object_id: int
    score: float


class VectorStore(Protocol):
    def prepare(self, passages: list[Passage], vectors: np.ndarray) -> None:
        """Put each (raw) vector on its passage before the passages are saved."""

    def search(self, query: np.ndarray, k: int, where: PassageFilter) -> list[PassageHit]:
        """The `k` passages closest to a (centred) query that `where` admits."""

    def recentre(self, means: dict[str, np.ndarray]) -> None:
        """The language centroids changed: search with vectors centred on the new ones."""


def stored_vectors(passage_ids: Iterable[int]) -> dict[int, np.ndarray]:
    """Passage id -> its centred vector, read from the raw vectors kept on every backend."""
    wanted = [int(i) for i in passage_ids]
    means = centroids()
    result: dict[int, np.ndarray] = {}
    for start in range(0, len(wanted), 2000):
        rows: list[tuple[int, str, np.ndarray]] = []
        for passage_id, language, embedding in Passage.objects.filter(
            id__in=wanted[start : start + 2000]
        ).values_list("id", "language", "embedding"):
            vector = raw_vector(embedding)
            if vector is not None:
                rows.append((passage_id, language, vector))
        if not rows:
            continue
        vectors = centred(np.vstack([row[2] for row in rows]), [row[1] for row in rows], means)
        result.update({row[0]: vector for row, vector in zip(rows, vectors, strict=True)})
    return result


class InProcessVectorStore:
    """The SQLite backend: vectors in memory, in the process that searches them."""

    def __init__(self, snapshot_dir: Path) -> None:
        self.snapshot_dir = snapshot_dir
        self._lock = threading.Lock()
        self._identity = ""
        self._calibration = -1
        self._generation = -1
        self._dimension = 0
        self._index: VectorIndex | None = None
        self._ids = np.zeros(0, dtype=np.int64)
        # Per passage id (arrays indexed by the id itself): kind code, object, owner, secrecy.
        self._kind = np.zeros(0, dtype=np.int8)
        self._object = np.zeros(0, dtype=np.int64)
        self._owner = np.zeros(0, dtype=np.int64)
        self._confidentiality = np.zeros(0, dtype="<U10")

    def prepare(self, passages: list[Passage], vectors: np.ndarray) -> None:
        for passage, vector in zip(passages, vectors, strict=True):
            passage.embedding = np.asarray(vector, dtype=np.float32).tobytes()

    # Catching up with the database -------------------------------------------------------

    def _snapshot_path(self) -> Path:
        return self.snapshot_dir / "passages.npz"

    def _load_snapshot(self, identity: str, dimension: int, calibration: int) -> None:
        path = self._snapshot_path()
        self._index = index_for(0, dimension)
        self._ids = np.zeros(0, dtype=np.int64)
        if not path.exists() or not identity:
            return
        try:
            with np.load(path) as saved:
                if (
                    int(saved["dimension"]) != dimension
                    or str(saved["identity"]) != identity
                    or int(saved["calibration"]) != calibration
                ):
                    return
                ids = saved["ids"].astype(np.int64)
                index = index_for(len(ids), dimension)
                index.upsert(ids.tolist(), saved["vectors"].astype(np.float32))
        except (OSError, ValueError, KeyError) as error:
            logger.warning("Ignoring the unreadable matching snapshot %s: %s", path, error)
            return
        self._index, self._ids = index, ids

    def save_snapshot(self) -> None:
        """Write the vectors to ./var so that the next process starts without reading them all
        from the database."""
        self.sync()
        if self._index is None or not len(self._ids):
            return
        vectors = stored_vectors(self._ids.tolist())
        path = self._snapshot_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("wb") as out:
            np.savez(
                out,
                identity=np.array(self._identity),
                calibration=np.array(self._calibration),
                dimension=np.array(self._dimension),
                ids=self._ids,
                vectors=np.vstack([vectors[int(i)] for i in self._ids]).astype(np.float16),
            )
        temporary.replace(path)

    def sync(self) -> None:
        state = IndexState.objects.first()
        identity = state.identity if state else ""
        generation = state.generation if state else 0
        dimension = state.dimension if state else 0
        calibration = state.calibration if state else 0
        current = (identity, generation, dimension, calibration)
        if current == (self._identity, self._generation, self._dimension, self._calibration):
            return
        with self._lock:
            # Passage ids are never reused within one database (AUTOINCREMENT), so within one
            # identity and calibration the index catches up by the ids that came and went.
            if (identity, dimension, calibration) != (
                self._identity,
                self._dimension,
                self._calibration,
            ) or self._index is None:
                self._identity, self._dimension = identity, dimension
                self._calibration = calibration
                self._load_snapshot(identity, dimension or 1, calibration)
            rows = list(
                Passage.objects.values_list(
                    "id", "item__kind", "item__object_id", "item__owner_id", "item__confidentiality"
                ).order_by("id")
            )
            ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            assert self._index is not None
            removed = np.setdiff1d(self._ids, ids, assume_unique=True)
            if len(removed):
                self._index.remove(removed.tolist())
            added = np.setdiff1d(ids, self._ids, assume_unique=True).tolist()
            for start in range(0, len(added), 2000):
                vectors = stored_vectors(added[start : start + 2000])
                if vectors:
                    self._index.upsert(list(vectors), np.vstack(list(vectors.values())))
            size = int(ids.max()) + 1 if len(ids) else 0
            self._kind = np.zeros(size, dtype=np.int8)
            self._object = np.zeros(size, dtype=np.int64)
            self._owner = np.full(size, -1, dtype=np.int64)
            self._confidentiality = np.full(size, "", dtype="<U10")
            for passage_id, kind, object_id, owner_id, confidentiality in rows:
                self._kind[passage_id] = KIND_CODES[kind]
                self._object[passage_id] = object_id
                self._owner[passage_id] = -1 if owner_id is None else owner_id
                self._confidentiality[passage_id] = confidentiality
            self._ids = ids
            self._generation = generation

    def search_count(self) -> int:
        """How many passages a search sees now (after catching up with the database)."""
        self.sync()
        return len(self._ids)

    # Searching ----------------------------------------------------------------------------

    def _admits(self, where: PassageFilter) -> Callable[[np.ndarray], np.ndarray]:
        kind_code = KIND_CODES[where.kind]
        shared = np.fromiter(where.shared_object_ids, dtype=np.int64)
        excluded = np.fromiter(where.excluded_object_ids, dtype=np.int64)

        def admits(keys: np.ndarray) -> np.ndarray:
            keys = np.asarray(keys, dtype=np.int64)
            known = keys < len(self._kind)
            keys = np.where(known, keys, 0)
            objects = self._object[keys]
            mask = known & (self._kind[keys] == kind_code)
            mask &= visible_mask(
                where.scope,
                confidentiality=self._confidentiality[keys],
                owner_ids=self._owner[keys],
                shared_with_viewer=np.isin(objects, shared),
            )
            if len(excluded):
                mask &= ~np.isin(objects, excluded)
            return mask

        return admits

    def search(self, query: np.ndarray, k: int, where: PassageFilter) -> list[PassageHit]:
        self.sync()
        if self._index is None or not len(self._ids):
            return []
        found = self._index.search(query, k, allowed=self._admits(where))
        return [PassageHit(key, int(self._object[key]), score) for key, score in found]

    def recentre(self, means: dict[str, np.ndarray]) -> None:
        # The calibration counter moved on with the centroids: the next sync reloads.
        return None


def hnsw_index_sql(dimension: int) -> str:
    dimension = int(dimension)
    return (
        f"CREATE INDEX IF NOT EXISTS matching_passage_hnsw_{dimension} ON matching_passage "
        f"USING hnsw ((vector::vector({dimension})) vector_cosine_ops) "
        "WITH (m = 16, ef_construction = 64)"
    )


class PgVectorStore:
    """The PostgreSQL backend: pgvector's HNSW index over a cast of the vector column.

    The column has no fixed dimension (the embedder decides it); the index is built on an
    expression casting to the current dimension, and every query uses that same expression.
    """

    def prepare(self, passages: list[Passage], vectors: np.ndarray) -> None:
        # The raw vector stays for re-centring; the pgvector column holds the centred one.
        if len(vectors):
            self.ensure_index(int(np.asarray(vectors).shape[-1]))
        search_vectors = centred(vectors, [passage.language for passage in passages])
        for passage, vector, search_vector in zip(passages, vectors, search_vectors, strict=True):
            passage.embedding = np.asarray(vector, dtype=np.float32).tobytes()
            passage.vector = search_vector

    def recentre(self, means: dict[str, np.ndarray]) -> None:
        last = 0
        while True:
            rows = list(
                Passage.objects.filter(id__gt=last)
                .order_by("id")
                .values_list("id", "language", "embedding")[:2000]
            )
            if not rows:
                return
            last = rows[-1][0]
            usable = [
                (row[0], row[1], vector)
                for row in rows
                if (vector := raw_vector(row[2])) is not None
            ]
            vectors = centred(
                np.vstack([row[2] for row in usable]), [row[1] for row in usable], means
            )
            Passage.objects.bulk_update(
                [
                    Passage(id=row[0], vector=vector)
                    for row, vector in zip(usable, vectors, strict=True)
                ],
                ["vector"],
            )

    @staticmethod
    def ensure_index(dimension: int) -> None:
        """The HNSW index for vectors of `dimension` (the migration makes the one for 384, the
        default model's; another embedder gets its own at its first indexing)."""
        name = f"matching_passage_hnsw_{int(dimension)}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
            if cursor.fetchone():
                return
            # CREATE INDEX refuses to run while deferred foreign-key checks are pending in the
            # same transaction; run them now, then defer again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # An index for another dimension would reject every new row (its expression casts
            # to that dimension); vectors of another embedder come with a rebuilt index.
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'matching_passage' "
                "AND indexname LIKE 'matching_passage_hnsw_%%'"
            )
            for (other,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX IF EXISTS "{other}"')
            cursor.execute(hnsw_index_sql(dimension))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def search(self, query: np.ndarray, k: int, where: PassageFilter) -> list[PassageHit]:
        dimension = int(np.asarray(query).shape[-1])
        literal = "[" + ",".join(f"{value:.6f}" for value in np.ravel(query)) + "]"
        conditions = ["i.kind = %s", "p.vector IS NOT NULL"]
        params: list[Any] = [where.kind]
        scope = where.scope
        if not scope.everything:
            visible = ["i.confidentiality = 'public'"]
            if scope.network:
                visible.append("i.confidentiality = 'network'")
                if scope.organization_ids:
                    visible.append("i.owner_id = ANY(%s)")
                    params.append(sorted(scope.organization_ids))
                if where.shared_object_ids:
                    visible.append("i.object_id = ANY(%s)")
                    params.append(sorted(where.shared_object_ids))
            conditions.append("(" + " OR ".join(visible) + ")")
        if where.excluded_object_ids:
            conditions.append("NOT (i.object_id = ANY(%s))")
            params.append(sorted(where.excluded_object_ids))
        distance = f"(p.vector::vector({dimension})) <=> %s::vector({dimension})"
        sql = (
            f"SELECT p.id, i.object_id, 1 - ({distance}) FROM matching_passage p "
            "JOIN matching_indexeditem i ON i.id = p.item_id "
            f"WHERE {' AND '.join(conditions)} ORDER BY {distance} LIMIT %s"
        )
        with connection.cursor() as cursor:
            # Filtered HNSW scans keep reading the graph until enough rows pass the filter.
            cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            cursor.execute("SET LOCAL hnsw.ef_search = %s", [max(40, min(1000, 2 * k))])
            cursor.execute(sql, [literal, *params, literal, k])
            rows = cursor.fetchall()
        hits = [PassageHit(int(row[0]), int(row[1]), float(row[2])) for row in rows]
        # relaxed_order may return a few rows out of order.
        return sorted(hits, key=lambda hit: -hit.score)


_stores: dict[str, VectorStore] = {}


def vector_store() -> VectorStore:
    """The backend for the current database."""
    if connection.vendor == "postgresql":
        return _stores.setdefault("postgresql", PgVectorStore())
    key = f"sqlite:{connection.settings_dict['NAME']}"
    if key not in _stores:
        _stores[key] = InProcessVectorStore(Path(settings.VAR_DIR) / "matching")
    return _stores[key]
