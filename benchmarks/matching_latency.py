"""The whole match query, as the product runs it, over many indexed items (SQLite backend).

    .venv/bin/python benchmarks/matching_latency.py [--items 100000] [--queries 100]

Builds a throw-away SQLite database under a temporary folder with `--items` offers. Their
texts are real R&D abstracts from ../shared/bench (cycled when more are asked for, or made-up
words without the data); their vectors are synthetic, clustered like text embeddings, since
embedding 100,000 texts takes hours on two cores (indexing throughput is measured on real
texts by `parkbridge reindex`, docs/benchmarks.md). Then it times top-20 match queries
through `parkbridge.matching.ranking.matches`: free-text requests in English, Russian and
Chinese (query embedding included) and item-to-item matches (no embedding), and prints the
cold start (loading vectors and building BM25), latency percentiles and the memory added.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "partner-search"
REQUESTS = [
    ("en", "partners for hydrogen fuel cell buses in cold climates"),
    ("en", "machine learning for crop disease detection from drone images"),
    ("en", "laser cladding of wear-resistant coatings on mining equipment"),
    ("ru", "ищем партнёров для производства водорода электролизом"),
    ("ru", "нейросети для диагностики рака молочной железы по маммограммам"),
    ("ru", "полупроводниковые датчики газа для промышленной безопасности"),
    ("zh", "寻找氢燃料电池公交车项目的合作伙伴"),
    ("zh", "基于深度学习的农作物病害识别"),
    ("zh", "用于电池的固态电解质材料研究"),
]


def texts(count: int) -> list[str]:
    path = DATA / "projects.jsonl.gz"
    abstracts: list[str] = []
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                abstracts.append(f"{row['title']}\n{row['objective']}"[:1500])
                if len(abstracts) >= count:
                    break
    if not abstracts:
        rng = random.Random(0)
        words = ["".join(rng.choice("abcdefghijklmnop") for _ in range(6)) for _ in range(5000)]
        abstracts = [" ".join(rng.choices(words, k=120)) for _ in range(min(count, 20_000))]
    return [abstracts[i % len(abstracts)] for i in range(count)]


def percentile(values: list[float], share: float) -> float:
    import numpy as np

    ordered = sorted(values)
    return ordered[max(0, int(np.ceil(share * len(ordered))) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    options = parser.parse_args()
    # Loaded before numpy, as in the product: parkbridge sets numpy's BLAS threads.
    from _synthetic import clustered, resident_megabytes

    import parkbridge  # noqa: F401

    folder = Path(tempfile.mkdtemp(prefix="parkbridge-bench-"))
    os.environ["PARKBRIDGE_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["PARKBRIDGE_MATCHING_AUTO_INDEX"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from parkbridge.accounts.models import User
    from parkbridge.matching import calibration
    from parkbridge.matching.embedders import default_embedder
    from parkbridge.matching.models import IndexedItem, IndexState, Passage, TermVector
    from parkbridge.matching.ranking import MatchSource, matches
    from parkbridge.matching.text import tokenize
    from parkbridge.offers.models import Offer
    from parkbridge.registry.models import Organization

    call_command("migrate", verbosity=0)
    embedder = default_embedder()
    viewer = User.objects.create_user(email="bench@example.org", password="x", is_staff=True)
    owners = Organization.objects.bulk_create(
        Organization(slug=f"owner-{n}", name=f"Owner {n}", name_en=f"Owner {n}", country="US")
        for n in range(500)
    )
    IndexState.objects.create(embedder=embedder.name, dimension=embedder.dimension)

    started = time.perf_counter()
    corpus = texts(options.items)
    vectors = clustered(options.items, embedder.dimension, seed=0)
    batch = 5000
    for start in range(0, options.items, batch):
        stop = min(options.items, start + batch)
        with transaction.atomic():
            offers = Offer.objects.bulk_create(
                Offer(
                    slug=f"offer-{number}",
                    kind="market_access" if number % 2 else "investment",
                    title=corpus[number][:200].split("\n")[0],
                    description=corpus[number],
                    language="en",
                    owner=owners[number % len(owners)],
                    confidentiality=["public", "network", "restricted"][number % 3],
                    countries=["US"],
                    ticket_min=100_000,
                )
                for number in range(start, stop)
            )
            items = IndexedItem.objects.bulk_create(
                IndexedItem(
                    kind="offer",
                    object_id=offer.pk,
                    owner_id=offer.owner_id,
                    confidentiality=offer.confidentiality,
                    language="en",
                    lexical_tokens=" ".join(tokenize(offer.description, "en")),
                    fingerprint="benchmark",
                )
                for offer in offers
            )
            Passage.objects.bulk_create(
                Passage(
                    item=item,
                    ordinal=0,
                    language="en",
                    text=corpus[number][:600],
                    embedding=vectors[number].tobytes(),
                )
                for number, item in zip(range(start, stop), items, strict=True)
            )
    # Every term gets a stored vector, as indexing writes them, so that Russian and Chinese
    # requests do the whole work of lexical bridging (synthetic vectors: the cost is the same).
    terms = sorted(
        {
            term
            for tokens in IndexedItem.objects.values_list("lexical_tokens", flat=True)
            for term in tokens.split(" ")
            if term
        }
    )
    term_vectors = clustered(len(terms), embedder.dimension, seed=1).astype("float16")
    TermVector.objects.bulk_create(
        (
            TermVector(term=term[:200], word=term[:200], vector=vector.tobytes())
            for term, vector in zip(terms, term_vectors, strict=True)
        ),
        batch_size=5000,
    )
    IndexState.objects.update(generation=1)
    calibration.recalibrate()
    print(
        f"{options.items} offers and {len(terms)} term vectors written in "
        f"{time.perf_counter() - started:.0f} s"
    )

    memory_before = resident_megabytes()
    started = time.perf_counter()
    first = matches(MatchSource.text(REQUESTS[0][1], "en"), "offer", viewer=viewer, limit=20)
    cold = time.perf_counter() - started
    print(
        f"cold start (vectors loaded, BM25 built, first query): {cold:.1f} s, "
        f"{resident_megabytes() - memory_before:.0f} MB added; top: {first[0].obj.title[:60]!r}"
    )

    for language, request in REQUESTS:  # loads each language's tokenizer once
        matches(MatchSource.text(request, language), "offer", viewer=viewer, limit=20)
    if os.environ.get("PROFILE"):
        import cProfile

        sample = list(Offer.objects.order_by("?")[:9])
        cProfile.runctx(
            "for r in REQUESTS: matches(MatchSource.text(r[1], r[0]), 'offer', viewer=viewer)\n"
            "for o in sample: matches(MatchSource.of(o), 'offer', viewer=viewer)",
            globals(),
            {**locals(), "matches": matches, "MatchSource": MatchSource},
            sort="tottime",
        )
    free_text: list[float] = []
    by_language: dict[str, list[float]] = {}
    slowest: list[tuple[float, str]] = []
    for number in range(options.queries):
        language, request = REQUESTS[number % len(REQUESTS)]
        started = time.perf_counter()
        matches(MatchSource.text(f"{request} {number}", language), "offer", viewer=viewer, limit=20)
        free_text.append((time.perf_counter() - started) * 1000)
        by_language.setdefault(language, []).append(free_text[-1])
        slowest.append((free_text[-1], request))
    print(
        f"free-text top-20 over {options.items} items (query embedding included): "
        f"p50 {percentile(free_text, 0.5):.0f} ms, p95 {percentile(free_text, 0.95):.0f} ms ("
        + ", ".join(
            f"{language} p50 {percentile(times, 0.5):.0f} ms"
            for language, times in sorted(by_language.items())
        )
        + ")"
    )

    print(
        "slowest: " + "; ".join(f"{ms:.0f} ms {text[:40]!r}" for ms, text in sorted(slowest)[-3:])
    )
    sources = list(Offer.objects.order_by("?")[: options.queries])
    item_times: list[float] = []
    for source in sources:
        started = time.perf_counter()
        matches(MatchSource.of(source), "offer", viewer=viewer, limit=20)
        item_times.append((time.perf_counter() - started) * 1000)
    print(
        f"offer-to-offers top-20 over {options.items} items: "
        f"p50 {percentile(item_times, 0.5):.0f} ms, p95 {percentile(item_times, 0.95):.0f} ms"
    )
    print(f"resident memory: {resident_megabytes():.0f} MB")


if __name__ == "__main__":
    main()
