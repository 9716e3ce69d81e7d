"""Language centring: centroids from the index, shrunk towards the overall mean, applied to
stored vectors on both backends without embedding again."""

from __future__ import annotations

import numpy as np
import pytest

from parkbridge.matching import calibration
from parkbridge.matching.models import IndexedItem, IndexState, LanguageCentroid, Passage
from parkbridge.matching.vectors import PassageFilter, stored_vectors, vector_store

pytestmark = pytest.mark.django_db

DIMENSION = 8


def test_centring_removes_a_shared_language_offset():
    topic = np.eye(DIMENSION, dtype=np.float32)[:2]
    russian_offset = np.full(DIMENSION, 0.5, dtype=np.float32)
    vectors = np.vstack([topic[0] + russian_offset, topic[1] + russian_offset])
    means = {"": np.zeros(DIMENSION, np.float32), "ru": russian_offset}
    result = calibration.centred(vectors, ["ru", "ru"], means)
    assert np.allclose(result, topic)
    # Without centroids (before calibration) vectors pass unchanged.
    assert np.allclose(calibration.centred(vectors, ["ru", "ru"], {}), vectors)
    # A language without its own centroid takes the overall mean.
    assert np.allclose(calibration.centred(topic, ["de", "de"], means), topic)


def _passages(language: str, count: int, offset: float, start: int) -> list[Passage]:
    rng = np.random.default_rng(start)
    passages = []
    for number in range(count):
        item = IndexedItem.objects.create(
            kind="offer", object_id=start + number, fingerprint="x", confidentiality="public"
        )
        vector = rng.normal(size=DIMENSION).astype(np.float32) + offset
        passage = Passage(item=item, ordinal=0, language=language, text=f"{language} {number}")
        vector_store().prepare([passage], (vector / np.linalg.norm(vector))[None, :])
        passage.save()
        passages.append(passage)
    return passages


def test_recalibration_centres_stored_vectors_and_searches_with_them():
    IndexState.objects.create(embedder="test", dimension=DIMENSION)
    _passages("ru", 90, 2.0, 0)
    _passages("zh", 30, -2.0, 1000)
    assert calibration.needs_calibration()
    counts = calibration.recalibrate()
    assert counts == {"ru": 90, "zh": 30}
    assert IndexState.objects.get().calibration == 1
    means = {
        c.language: np.frombuffer(bytes(c.vector), np.float32)
        for c in LanguageCentroid.objects.all()
    }
    # Shrinkage: the smaller language's centroid is pulled further towards the overall mean.
    overall = means[""]
    assert np.linalg.norm(means["zh"] - overall) < np.linalg.norm(
        np.mean(
            [
                np.frombuffer(bytes(p.embedding), np.float32)
                for p in Passage.objects.filter(language="zh")
            ],
            axis=0,
        )
        - overall
    )
    centred = stored_vectors(Passage.objects.values_list("id", flat=True))
    assert abs(np.mean([v.mean() for v in centred.values()])) < 0.2
    # The search path uses the centred vectors: a query finds its own passage first.
    passage = Passage.objects.filter(language="zh").first()
    from parkbridge.core.permissions import VisibilityScope

    scope = VisibilityScope(everything=True, network=True, organization_ids=frozenset())
    hits = vector_store().search(centred[passage.pk], 3, PassageFilter("offer", scope))
    assert hits[0].passage_id == passage.pk and hits[0].score == pytest.approx(1.0, abs=1e-3)
    assert not calibration.needs_calibration()
