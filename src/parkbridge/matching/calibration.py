"""Language centring: vectors compared after each language's mean is taken away.

The centroids come from the index itself (each language's passages, pulled towards the mean
of all passages when a language has few), are recomputed by `parkbridge reindex` when the
index has grown or changed its mix of languages, and apply alike to indexed passages and to
requests. Before there are enough passages to calibrate, vectors are used as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
from django.db import connection, transaction
from django.db.models import F

from parkbridge.matching.models import IndexState, LanguageCentroid, Passage

# A language with n passages gets the centroid (n·own mean + SHRINK·overall mean) / (n + SHRINK).
SHRINK = 20
# Calibrate once the index holds this many passages; recalibrate when a language's share of
# passages moves by more than RECALIBRATE_DRIFT.
MIN_PASSAGES = 100
RECALIBRATE_DRIFT = 0.2

_cache: dict[tuple[str, str, int], dict[str, np.ndarray]] = {}


def raw_vector(embedding: bytes | memoryview | None) -> np.ndarray | None:
    return None if embedding is None else np.frombuffer(bytes(embedding), dtype=np.float32)


def centroids() -> dict[str, np.ndarray]:
    """Language -> centroid ("" is the overall mean); empty before the first calibration."""
    state = IndexState.objects.values_list("identity", "calibration").first()
    if state is None or not state[1]:
        return {}
    key = (str(connection.settings_dict["NAME"]), state[0], state[1])
    if key not in _cache:
        _cache.clear()
        _cache[key] = {
            language: np.frombuffer(bytes(vector), dtype=np.float32)
            for language, vector in LanguageCentroid.objects.values_list("language", "vector")
        }
    return _cache[key]


def centred(
    vectors: np.ndarray, languages: Sequence[str], means: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """Unit vectors of `vectors` minus their languages' centroids."""
    means = centroids() if means is None else means
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(languages), -1)
    if not means:
        return vectors
    overall = means.get("")
    shifts = np.vstack(
        [
            means.get(language, overall if overall is not None else np.zeros(vectors.shape[1]))
            for language in languages
        ]
    ).astype(np.float32)
    result = vectors - shifts
    norms = np.linalg.norm(result, axis=1, keepdims=True)
    return result / np.maximum(norms, 1e-6)


def _language_counts() -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for language in Passage.objects.values_list("language", flat=True).iterator(chunk_size=5000):
        counts[language] += 1
    return dict(counts)


def needs_calibration() -> bool:
    counts = _language_counts()
    total = sum(counts.values())
    if total < MIN_PASSAGES:
        return False
    known = dict(LanguageCentroid.objects.exclude(language="").values_list("language", "passages"))
    if not known:
        return True
    known_total = sum(known.values()) or 1
    for language in set(counts) | set(known):
        share_now = counts.get(language, 0) / total
        share_then = known.get(language, 0) / known_total
        if abs(share_now - share_then) > RECALIBRATE_DRIFT * max(share_then, 0.05):
            return True
    return total > (1 + RECALIBRATE_DRIFT) * known_total


def _means(
    rows: Iterable[tuple[str, bytes | memoryview | None]],
) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = defaultdict(int)
    for language, embedding in rows:
        vector = raw_vector(embedding)
        if vector is None:
            continue
        if language not in sums:
            sums[language] = np.zeros(len(vector), dtype=np.float64)
        sums[language] += vector
        counts[language] += 1
    total = sum(counts.values())
    overall = np.sum(list(sums.values()), axis=0) / max(total, 1) if sums else np.zeros(1)
    means = {"": np.asarray(overall, dtype=np.float32)}
    for language, vector_sum in sums.items():
        means[language] = ((vector_sum + SHRINK * overall) / (counts[language] + SHRINK)).astype(
            np.float32
        )
    return means, dict(counts)


def recalibrate() -> dict[str, int]:
    """Compute the centroids from every indexed passage and re-centre the stored vectors (no
    embedding again). Returns the passages counted per language."""
    rows = Passage.objects.values_list("language", "embedding").iterator(chunk_size=2000)
    means, counts = _means(rows)
    with transaction.atomic():
        LanguageCentroid.objects.all().delete()
        LanguageCentroid.objects.bulk_create(
            LanguageCentroid(
                language=language,
                vector=vector.tobytes(),
                passages=counts.get(language, sum(counts.values())),
            )
            for language, vector in means.items()
        )
        IndexState.objects.update(calibration=F("calibration") + 1, generation=F("generation") + 1)
        from parkbridge.matching.vectors import vector_store

        vector_store().recentre(means)
    return counts
