"""In-process vector indexes for the SQLite deployment: exact search, and HNSW above a size.

Vectors are unit length, so the score is the cosine similarity. Keys are integers chosen by the
caller (one per passage). `allowed` restricts a search to some keys: confidentiality is a hard
filter, applied inside the search rather than after a top-k that could come back empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol, TypeAlias

import numpy as np

# Below this many vectors an exact scan is fast enough (about 5 ms for 100,000 on two cores)
# and has perfect recall; above it, an HNSW graph keeps queries fast.
EXACT_SEARCH_LIMIT = 200_000
# Batches of at least this many vectors are added to an HNSW index on every core.
PARALLEL_ADD_MIN = 10_000

# Which keys a search may return: a set of keys, or a vectorised test over an array of keys.
KeyFilter: TypeAlias = Callable[[np.ndarray], np.ndarray]
Allowed: TypeAlias = "set[int] | frozenset[int] | KeyFilter | None"


def _as_key_filter(allowed: Allowed) -> KeyFilter | None:
    if allowed is None or callable(allowed):
        return allowed
    keys = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
    return lambda candidates: np.isin(np.asarray(candidates, dtype=np.int64), keys)


class VectorIndex(Protocol):
    dimension: int

    def __len__(self) -> int: ...

    def upsert(self, keys: Sequence[int], vectors: np.ndarray) -> None: ...

    def remove(self, keys: Iterable[int]) -> None: ...

    def search(
        self, query: np.ndarray, k: int, allowed: Allowed = None
    ) -> list[tuple[int, float]]: ...

    def save(self, path: Path) -> None: ...


class ExactIndex:
    """All vectors in one float32 matrix; a query is one matrix-vector product.

    Rows live in a buffer that doubles when full; a removed row is filled with the last one,
    so that adding or removing one item costs O(1) rather than a copy of the whole matrix.
    """

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._buffer = np.zeros((1024, dimension), dtype=np.float32)
        self._key_buffer = np.zeros(1024, dtype=np.int64)
        self._size = 0
        self._row_of: dict[int, int] = {}

    def __len__(self) -> int:
        return self._size

    def _grow(self, needed: int) -> None:
        capacity = len(self._buffer)
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        buffer = np.zeros((capacity, self.dimension), dtype=np.float32)
        buffer[: self._size] = self._buffer[: self._size]
        keys = np.zeros(capacity, dtype=np.int64)
        keys[: self._size] = self._key_buffer[: self._size]
        self._buffer, self._key_buffer = buffer, keys

    def upsert(self, keys: Sequence[int], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(keys), self.dimension)
        self._grow(self._size + len(keys))
        for key, vector in zip(keys, vectors, strict=True):
            row = self._row_of.get(int(key))
            if row is None:
                row = self._size
                self._size += 1
                self._row_of[int(key)] = row
                self._key_buffer[row] = int(key)
            self._buffer[row] = vector

    def remove(self, keys: Iterable[int]) -> None:
        for key in keys:
            row = self._row_of.pop(int(key), None)
            if row is None:
                continue
            last = self._size - 1
            if row != last:
                moved = int(self._key_buffer[last])
                self._buffer[row] = self._buffer[last]
                self._key_buffer[row] = moved
                self._row_of[moved] = row
            self._size = last

    def search(self, query: np.ndarray, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        if not self._size or k <= 0:
            return []
        keys = self._key_buffer[: self._size]
        # Score every row, then drop the ones the filter refuses: gathering the allowed rows
        # first would copy most of the matrix on each query.
        scores = self._buffer[: self._size] @ np.asarray(query, dtype=np.float32).reshape(
            self.dimension
        )
        admits = _as_key_filter(allowed)
        candidates = np.arange(self._size)
        if admits is not None:
            candidates = np.nonzero(admits(keys))[0]
            if not len(candidates):
                return []
        k = min(k, len(candidates))
        allowed_scores = scores[candidates]
        top = np.argpartition(-allowed_scores, k - 1)[:k]
        top = top[np.argsort(-allowed_scores[top], kind="stable")]
        return [(int(keys[candidates[i]]), float(allowed_scores[i])) for i in top]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            np.savez(
                out,
                keys=self._key_buffer[: self._size],
                vectors=self._buffer[: self._size].astype(np.float16),
            )

    @classmethod
    def load(cls, path: Path, dimension: int) -> ExactIndex:
        index = cls(dimension)
        with np.load(path) as saved:
            index.upsert(saved["keys"].tolist(), saved["vectors"].astype(np.float32))
        return index


class HNSWIndex:
    """An approximate index (usearch HNSW) with 8-bit quantised vectors, for large collections."""

    def __init__(self, dimension: int, *, quantization: str = "i8") -> None:
        from usearch.index import Index

        self.dimension = dimension
        # Wider graph searches than usearch's defaults: recall@10 above 0.9 even on random
        # vectors, which are much harder than real embeddings.
        self._index = Index(
            ndim=dimension,
            metric="cos",
            dtype=quantization,
            connectivity=16,
            expansion_add=128,
            expansion_search=128,
        )

    def __len__(self) -> int:
        return len(self._index)

    def upsert(self, keys: Sequence[int], vectors: np.ndarray) -> None:
        keys_array = np.asarray(keys, dtype=np.uint64)
        self.remove(keys)
        # Threads only pay off for a large batch (loading the index). Inserting from several
        # threads at once can leave a vector that a search then misses (one search in two
        # hundred at 500 vectors, none with one thread), so small batches go one at a time.
        threads = 0 if len(keys_array) >= PARALLEL_ADD_MIN else 1
        self._index.add(keys_array, np.asarray(vectors, dtype=np.float32), threads=threads)

    def remove(self, keys: Iterable[int]) -> None:
        present = [int(key) for key in keys if int(key) in self._index]
        if present:
            self._index.remove(np.asarray(present, dtype=np.uint64))

    def search(self, query: np.ndarray, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        if not len(self._index) or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(self.dimension)
        if isinstance(allowed, set | frozenset) and len(allowed) <= 4 * k:
            return self._exact_among(query, allowed, k)
        admits = _as_key_filter(allowed)
        wanted = k if admits is None else min(len(self._index), k * 8)
        while True:
            found = self._index.search(query, wanted)
            keys = np.asarray(found.keys, dtype=np.int64)
            scores = 1.0 - np.asarray(found.distances, dtype=np.float32)
            if admits is not None:
                keep = admits(keys)
                keys, scores = keys[keep], scores[keep]
            if len(keys) >= k or wanted >= len(self._index):
                return [
                    (int(key), float(score))
                    for key, score in zip(keys[:k], scores[:k], strict=True)
                ]
            wanted = min(len(self._index), wanted * 4)

    def _exact_among(
        self, query: np.ndarray, allowed: set[int] | frozenset[int], k: int
    ) -> list[tuple[int, float]]:
        keys = [key for key in allowed if key in self._index]
        if not keys:
            return []
        vectors = np.vstack([np.asarray(self._index.get(key)) for key in keys]).astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        scores = vectors @ query
        order = np.argsort(-scores)[:k]
        return [(int(keys[i]), float(scores[i])) for i in order]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._index.save(str(path))

    @classmethod
    def load(cls, path: Path, dimension: int) -> HNSWIndex:
        index = cls(dimension)
        index._index.load(str(path))
        return index


def index_for(size: int, dimension: int) -> VectorIndex:
    """The right index for a collection of `size` vectors."""
    if size <= EXACT_SEARCH_LIMIT:
        return ExactIndex(dimension)
    return HNSWIndex(dimension)
