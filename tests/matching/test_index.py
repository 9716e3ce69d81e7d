from __future__ import annotations

import numpy as np
import pytest

from parkbridge.matching.index import ExactIndex, HNSWIndex, index_for


def _unit(rows: int, dimension: int = 16, seed: int = 3) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(params=[ExactIndex, HNSWIndex])
def index(request):
    return request.param(16)


def test_nearest_first_with_cosine_scores(index):
    vectors = _unit(500)
    index.upsert(list(range(500)), vectors)
    keys = range(0, 500, 25)
    searches = {key: index.search(vectors[key], 5) for key in keys}
    found_first = [
        key
        for key, results in searches.items()
        if results[0][0] == key and results[0][1] == pytest.approx(1.0, abs=0.02)
    ]
    # Every stored vector is found first, by the approximate index too: small batches are
    # added on one thread, and added from several threads one search in two hundred missed.
    assert found_first == list(keys)
    for results in searches.values():
        assert [score for _key, score in results] == sorted((s for _k, s in results), reverse=True)


def test_upsert_replaces_and_remove_forgets(index):
    vectors = _unit(100)
    index.upsert(list(range(100)), vectors)
    index.upsert([7], vectors[[8]])
    assert len(index) == 100
    assert {key for key, _s in index.search(vectors[8], 2)} == {7, 8}
    index.remove([7, 8, 999])
    assert len(index) == 98
    assert all(key not in {7, 8} for key, _s in index.search(vectors[8], 10))


def test_allowed_keys_are_a_hard_filter(index):
    vectors = _unit(1000)
    index.upsert(list(range(1000)), vectors)
    allowed = {3, 500, 998}
    results = index.search(vectors[10], 10, allowed=allowed)
    assert {key for key, _s in results} == allowed
    big_allowed = set(range(0, 1000, 2))
    results = index.search(vectors[11], 10, allowed=big_allowed)
    assert len(results) == 10 and all(key in big_allowed for key, _s in results)
    assert index.search(vectors[0], 10, allowed=set()) == []


def test_exact_index_matches_brute_force_and_survives_saving(tmp_path):
    vectors = _unit(3000, 32, seed=5)
    index = ExactIndex(32)
    index.upsert(list(range(3000)), vectors)
    index.remove(range(0, 3000, 3))
    query = vectors[1]
    expected = sorted(
        ((key, float(vectors[key] @ query)) for key in range(3000) if key % 3),
        key=lambda pair: -pair[1],
    )[:20]
    assert [key for key, _s in index.search(query, 20)] == [key for key, _s in expected]
    index.save(tmp_path / "index.npz")
    loaded = ExactIndex.load(tmp_path / "index.npz", 32)
    assert len(loaded) == 2000
    assert [key for key, _s in loaded.search(query, 5)] == [key for key, _s in expected[:5]]


def test_hnsw_recall_against_exact(tmp_path):
    vectors = _unit(5000, 64, seed=9)
    exact, approximate = ExactIndex(64), HNSWIndex(64)
    exact.upsert(list(range(5000)), vectors)
    approximate.upsert(list(range(5000)), vectors)
    queries = _unit(50, 64, seed=11)
    found = sum(
        len({k for k, _ in exact.search(q, 10)} & {k for k, _ in approximate.search(q, 10)})
        for q in queries
    )
    assert found / 500 >= 0.9
    approximate.save(tmp_path / "index.usearch")
    assert len(HNSWIndex.load(tmp_path / "index.usearch", 64)) == 5000


def test_index_choice_by_size():
    assert isinstance(index_for(1000, 8), ExactIndex)
    assert isinstance(index_for(10_000_000, 8), HNSWIndex)
