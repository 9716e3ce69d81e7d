"""Shared by the scale benchmarks: synthetic vectors shaped like text embeddings, and memory."""

from __future__ import annotations

import numpy as np


def clustered(rows: int, dimension: int, seed: int) -> np.ndarray:
    """Unit vectors in 1,000 clusters: harder for an index than real embeddings, not easier."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(1000, dimension)).astype(np.float32)
    vectors = np.empty((rows, dimension), dtype=np.float32)
    for start in range(0, rows, 100_000):
        stop = min(rows, start + 100_000)
        picks = rng.integers(0, len(centres), size=stop - start)
        block = centres[picks] + 0.6 * rng.normal(size=(stop - start, dimension))
        vectors[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return vectors


def resident_megabytes() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
