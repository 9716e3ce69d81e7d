"""Lexical bridging: query terms paired with terms of another script, nearest in meaning."""

from __future__ import annotations

import numpy as np

from parkbridge.matching.bridging import (
    BRIDGE_SIMILARITY,
    bridgeable,
    bridged_terms,
    pair_terms,
)


def _unit(*rows: list[float]) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_only_terms_of_another_script_are_candidates():
    assert bridgeable(["кремний"], ["silicon", "нанокристалл", "纳米"]) == ["silicon", "纳米"]
    # An English request over English texts has nothing to bridge.
    assert bridgeable(["silicon", "wafer"], ["silicon", "nanocryst"]) == []
    # A mixed request bridges each of its scripts.
    assert bridgeable(["кремний", "sic"], ["silicon", "кремний"]) == ["silicon", "кремний"]


def test_each_term_is_paired_with_its_nearest_term_of_another_script():
    query_terms = ["кремний", "сплав"]
    query_vectors = _unit([1, 0.05, 0], [0, 0, 1])
    candidates = ["silicon", "splash", "alloy", "кремниевый"]
    candidate_vectors = _unit([1, 0, 0], [0, 1, 0.6], [0, 0.1, 1], [1, 0.04, 0])
    assert bridged_terms(query_terms, query_vectors, candidates, candidate_vectors) == {
        "кремний": "silicon",
        "сплав": "alloy",
    }


def test_pairs_below_the_threshold_are_left_out():
    query_vectors = _unit([1, 0])
    similarity = BRIDGE_SIMILARITY - 0.05
    candidate_vectors = _unit([similarity, float(np.sqrt(1 - similarity**2))])
    assert bridged_terms(["гроза"], query_vectors, ["grs"], candidate_vectors) == {}
    assert bridged_terms(["гроза"], query_vectors, [], np.zeros((0, 2))) == {}


def test_pairing_embeds_only_the_request_terms_that_can_pair():
    stored = {"silicon": [1.0, 0.0], "wafer": [0.0, 1.0]}
    embedded: list[list[str]] = []

    def stored_vectors(terms: list[str]) -> tuple[list[str], np.ndarray]:
        found = [term for term in terms if term in stored]
        if not found:
            return [], np.zeros((0, 2), dtype=np.float32)
        return found, _unit(*(stored[term] for term in found))

    def embed(terms: list[str]) -> np.ndarray:
        embedded.append(terms)
        return _unit(*([1.0, 0.02] if term == "кремний" else [0.6, 0.8] for term in terms))

    words = {"кремний": "кремний", "sic": "SiC"}
    # "nanowir" has no stored vector; "sic" is already in the texts' script.
    assert pair_terms(words, ["silicon", "wafer", "nanowir", "sic"], stored_vectors, embed) == {
        "кремний": "silicon"
    }
    assert embedded == [["кремний"]]
    # Nothing to pair with: nothing is embedded.
    assert pair_terms(words, ["sic"], stored_vectors, embed) == {}
    assert pair_terms({"silicon": "silicon"}, ["wafer"], stored_vectors, embed) == {}
    assert embedded == [["кремний"]]
