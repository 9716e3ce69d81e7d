"""Lexical bridging: query terms paired with terms of another script, nearest in meaning."""

from __future__ import annotations

from typing import Any

import numpy as np

from parkbridge.matching.bridging import (
    BRIDGE_SIMILARITY,
    GLOSSARY_SENSES,
    Bridges,
    balanced_scores,
    bridge,
    bridgeable,
    bridged_terms,
    pair_terms,
)
from parkbridge.matching.glossary import GlossaryHit


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


def _hit(term: str, targets: tuple[str, ...], rank: tuple[int, int]) -> GlossaryHit:
    return GlossaryHit(term, frozenset({term}), term, targets, rank)


def test_glossary_counterparts_come_first_and_the_model_pairs_the_rest():
    def stored_vectors(terms: list[str]) -> tuple[list[str], np.ndarray]:
        return terms, _unit(*([1.0, 0.0] if term == "fuel" else [0.0, 1.0] for term in terms))

    embedded: list[list[str]] = []

    def embed(terms: list[str]) -> np.ndarray:
        embedded.append(terms)
        return _unit(*([1.0, 0.01] for _term in terms))

    words = {"водород": "водород", "топливный": "топливный"}
    hits = [_hit("водород", ("hydrogen", "氢"), (0, 5))]
    bridges = bridge(words, hits, ["hydrogen", "fuel"], stored_vectors, embed)
    # The glossary's counterpart that the closest texts use; "氢" is not among them.
    assert bridges.pairs == (("водород", "hydrogen"), ("топливный", "fuel"))
    assert bridges.covered == {"водород", "топливный"}
    assert bridges.targets == ["hydrogen", "fuel"]
    assert embedded == [["топливный"]]  # the glossary's word is not embedded

    # A counterpart missing from the closest texts leaves the word to the model.
    bridges = bridge(words, hits, ["fuel"], stored_vectors, embed)
    assert ("водород", "fuel") in bridges.pairs


def test_a_word_brings_the_counterparts_of_its_first_senses_only():
    hits = [
        _hit("促进", (f"sense{rank}",), (rank, 10 - rank)) for rank in range(GLOSSARY_SENSES + 2)
    ]
    context = [f"sense{rank}" for rank in range(GLOSSARY_SENSES + 2)]
    bridges = bridge({"促进": "促进"}, reversed(hits), context, _no_vectors, _no_embedding)
    assert bridges.targets == [f"sense{rank}" for rank in range(GLOSSARY_SENSES)]


def test_bridges_of_two_channels_merge_without_repeats():
    first = Bridges((("a", "x"),), frozenset({"a"}))
    second = Bridges((("a", "x"), ("b", "y")), frozenset({"b"}))
    assert (first | second) == Bridges((("a", "x"), ("b", "y")), frozenset({"a", "b"}))


def test_alternatives_are_the_targets_of_each_request_term():
    bridges = Bridges(
        (("метод", "method"), ("метод", "techniqu"), ("сплав", "alloy")),
        frozenset({"метод", "сплав"}),
    )
    assert bridges.alternatives == [("method", "techniqu"), ("alloy",)]


def _bm25(corpus: list[list[str]]) -> Any:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever


def test_a_bridged_word_scores_the_mean_of_its_translations():
    retriever = _bm25([["method", "alloy"], ["scheme", "alloy"], ["laser"], ["ship"]])

    def score(terms: list[str]) -> np.ndarray:
        return np.asarray(retriever.get_scores(terms), dtype=np.float32)

    vocabulary = retriever.vocab_dict
    scores = balanced_scores(score, vocabulary, ["laser"], [("method", "scheme", "techniqu")])
    assert scores is not None
    # "techniqu" is not in the index, so the word's two known translations share its weight.
    expected = score(["laser"]) + (score(["method"]) + score(["scheme"])) / 2
    np.testing.assert_allclose(scores, expected, rtol=1e-6)
    assert balanced_scores(score, vocabulary, ["лазер"], [("techniqu",)]) is None


def test_many_translations_of_one_word_do_not_outweigh_another_word():
    # One text uses three translations of "метод", the other its one translation and the
    # translation of the request's second, more specific word "сплав".
    retriever = _bm25(
        [
            ["method", "scheme", "techniqu", "report"],
            ["method", "alloy", "report", "note"],
            *[["filler", str(n)] for n in range(6)],
        ]
    )
    alternatives = [("method", "scheme", "techniqu"), ("alloy",)]
    balanced = balanced_scores(retriever.get_scores, retriever.vocab_dict, [], alternatives)
    flat = retriever.get_scores(["method", "scheme", "techniqu", "alloy"])
    assert balanced is not None
    assert flat[0] > flat[1]  # added flat, the word with three translations wins
    assert balanced[1] > balanced[0]


def _no_vectors(terms: list[str]) -> tuple[list[str], np.ndarray]:
    return [], np.zeros((0, 2), dtype=np.float32)


def _no_embedding(terms: list[str]) -> np.ndarray:
    raise AssertionError("nothing should be embedded")
