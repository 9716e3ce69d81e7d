"""Cross-lingual retrieval on Tatoeba (Russian-English, Chinese-English), raw and centred.

    .venv/bin/python benchmarks/crosslingual_tatoeba.py [--data ../shared/bench/tatoeba]

Protocol of ../shared/bench/README.md: index the 1,000 English sentences, query with each
Russian (Chinese) sentence, report accuracy@1 and Recall@10, and the other direction. Sentences
are embedded as ParkBridge embeds items and requests (`embed_items`), searched with ParkBridge's
in-process index, once with the raw vectors and once centred per language with the product's
`centred()` and the centroids the product would compute from these sentences.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "tatoeba"


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def retrieval(queries: np.ndarray, targets: np.ndarray) -> tuple[float, float]:
    from parkbridge.matching.index import ExactIndex

    index = ExactIndex(targets.shape[1])
    index.upsert(list(range(len(targets))), targets)
    first, within_ten = 0, 0
    for number, query in enumerate(queries):
        found = [key for key, _score in index.search(query, 10)]
        first += found[0] == number
        within_ten += number in found
    return first / len(queries), within_ten / len(queries)


def centroids(vectors: dict[str, np.ndarray], shrink: int) -> dict[str, np.ndarray]:
    every = np.vstack(list(vectors.values()))
    overall = every.mean(axis=0)
    means = {"": overall}
    for language, rows in vectors.items():
        means[language] = (rows.sum(axis=0) + shrink * overall) / (len(rows) + shrink)
    return means


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    import django

    django.setup()
    from parkbridge.matching.calibration import SHRINK, centred
    from parkbridge.matching.embedders import default_embedder

    embedder = default_embedder()
    print(f"model: {embedder.name}; accuracy@1 / Recall@10 over 1,000 sentence pairs")
    print(
        f"{'pair':<8} {'direction':<10} {'raw acc@1':>9} {'raw R@10':>9} "
        f"{'centred acc@1':>13} {'centred R@10':>12}"
    )
    for pair, other in (("rus-eng", "rus"), ("cmn-eng", "cmn")):
        started = time.perf_counter()
        foreign = lines(options.data / f"tatoeba.{pair}.{other}")
        english = lines(options.data / f"tatoeba.{pair}.eng")
        language = {"rus": "ru", "cmn": "zh"}[other]
        vectors = {
            language: embedder.embed_items(foreign),
            "en": embedder.embed_items(english),
        }
        means = centroids(vectors, SHRINK)
        shifted = {code: centred(rows, [code] * len(rows), means) for code, rows in vectors.items()}
        for direction, (source, target) in {
            f"{language}->en": (language, "en"),
            f"en->{language}": ("en", language),
        }.items():
            raw = retrieval(vectors[source], vectors[target])
            centre = retrieval(shifted[source], shifted[target])
            print(
                f"{pair:<8} {direction:<10} {raw[0]:9.3f} {raw[1]:9.3f} {centre[0]:13.3f} "
                f"{centre[1]:12.3f}"
            )
        print(f"{pair}: embedded 2,000 sentences in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
