"""How far better word pairs could take Russian and Chinese partner requests.

    .venv/bin/python benchmarks/bridging_ceiling.py [--data DIR] [--queries FILE ...]

Ranks the cross-lingual requests (by default xling-dev.jsonl and
benchmarks/data/xling-extra.jsonl, each request in English, Russian and Chinese) several ways
with the product's hybrid ranking, and prints Recall@10 and MRR per language:

- `model pairs only`: lexical bridging by the multilingual model alone, without the glossary;
- `glossary and model`: lexical bridging as the product does it, a request word scoring the
  mean of its counterparts' BM25 scores (bridging.balanced_scores);
- `separate terms`, `best counterpart`, `synonym operator`: the same pairs, with a word's
  counterparts added to BM25 as terms of their own, or the word scoring its best counterpart,
  or its counterparts read as one term (summed frequencies, the document frequency of any of
  them: Pirkola's operator);
- `correct pairs only`: the product's pairs whose English term is also a term of the English
  request (the pairs a strict word-by-word check would call right);
- `perfect translation`: BM25 reads the English request while the dense channel reads the
  Russian or Chinese one, as if a perfect translator stood before BM25: the ceiling of any
  better word pairing.

It also prints how many of the English request's terms bridging found. It reuses the vectors
that `benchmarks/partner_search.py` caches under var/benchmarks/ (and embeds them first if
they are missing: about 40 minutes on two cores).
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "partner-search"
EXTRA_CROSS_LINGUAL = Path(__file__).resolve().parent / "data" / "xling-extra.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=Path, nargs="+")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    import django

    django.setup()
    from django.conf import settings

    from parkbridge.matching.bridging import Bridges
    from parkbridge.matching.embedders import load_embedder
    from parkbridge.matching.evaluation import (
        BenchmarkQuery,
        DensePartnerRanker,
        HybridPartnerRanker,
        LexicalPartnerRanker,
        cache_file,
        embed_profiles,
        embed_terms,
        evaluate,
        load_partner_search,
    )
    from parkbridge.matching.glossary import default_glossary
    from parkbridge.matching.text import terms_with_words, tokenize

    queries = options.queries or [options.data / "xling-dev.jsonl", EXTRA_CROSS_LINGUAL]
    data = load_partner_search(options.data, queries)
    lexical = LexicalPartnerRanker(data)
    embedder = load_embedder(settings.PARKBRIDGE_EMBEDDER)
    cache = Path(settings.VAR_DIR) / "benchmarks"
    count = len(data.profile_ids)
    vectors = embed_profiles(data, embedder, cache_file(cache, embedder, "items", count))
    dense = DensePartnerRanker(data, embedder, vectors)
    term_vectors = embed_terms(lexical.words, embedder, cache_file(cache, embedder, "terms", count))
    english = {query.project_id: query for query in data.queries if query.language == "en"}
    english_terms = {
        query.project_id: {
            term for term in tokenize(query.text, "en") if term in lexical.retriever.vocab_dict
        }
        for query in data.queries
        if query.language == "en"
    }

    class CorrectPairsOnly(HybridPartnerRanker):
        def _bridged(self, query: BenchmarkQuery, similarities):  # type: ignore[no-untyped-def]
            bridges = super()._bridged(query, similarities)
            wanted = english_terms.get(query.project_id, set())
            pairs = tuple(pair for pair in bridges.pairs if pair[1] in wanted)
            return Bridges(pairs, frozenset(term for term, _target in pairs))

    class PerfectTranslation(HybridPartnerRanker):
        def rank(self, query: BenchmarkQuery) -> list[str]:
            # The dense channel reads the request; BM25 reads its English version.
            similarities = self.dense.similarities(query.text)
            return self.fused(similarities, english.get(query.project_id, query), Bridges())

    class CounterpartsScored(LexicalPartnerRanker):
        """The same index; a bridged word's counterparts scored by `combine` instead."""

        def __init__(self, combine: Callable[[list[str]], np.ndarray]) -> None:
            self.__dict__.update(lexical.__dict__)
            self.combine = combine

        def project_scores(
            self, text: str, language: str, alternatives: Sequence[Sequence[str]] = ()
        ) -> np.ndarray:
            vocabulary = self.retriever.vocab_dict
            own = [term for term in tokenize(text, language) if term in vocabulary]
            parts = [np.asarray(self.retriever.get_scores(own))] if own else []
            for group in alternatives:
                if known := [term for term in group if term in vocabulary]:
                    parts.append(self.combine(known))
            return np.sum(parts, axis=0) if parts else np.zeros(len(self.project_organizations))

    def scores(terms: list[str]) -> np.ndarray:
        return np.asarray(lexical.retriever.get_scores(terms))

    synonym_operator = _synonym_operator(
        [[term for term, _word in terms_with_words(text, "en")] for text in data.profile_texts],
        lexical.retriever,
    )
    glossary = default_glossary()
    bridged = HybridPartnerRanker(lexical, dense, term_vectors=term_vectors, glossary=glossary)

    def counterparts(combine: Callable[[list[str]], np.ndarray]) -> HybridPartnerRanker:
        return HybridPartnerRanker(
            CounterpartsScored(combine), dense, term_vectors=term_vectors, glossary=glossary
        )

    rankers = {
        "model pairs only": HybridPartnerRanker(lexical, dense, term_vectors=term_vectors),
        "glossary and model": bridged,
        "separate terms": counterparts(scores),
        "best counterpart": counterparts(
            lambda terms: np.max([scores([term]) for term in terms], axis=0)
        ),
        "synonym operator": counterparts(synonym_operator),
        "correct pairs only": CorrectPairsOnly(
            lexical, dense, term_vectors=term_vectors, glossary=glossary
        ),
        "perfect translation": PerfectTranslation(lexical, dense, term_vectors=term_vectors),
    }
    languages = sorted({query.language for query in data.queries})
    print(f"{len(data.queries)} requests; Recall@10 / MRR per language")
    print(f"{'bridging':<22}" + "".join(f"{language:>16}" for language in languages))
    for name, ranker in rankers.items():
        row = f"{name:<22}"
        for language in languages:
            metrics = evaluate(ranker.rank, [q for q in data.queries if q.language == language])
            row += f"   {metrics.recall_at_10:.3f} / {metrics.mrr:.3f}"
        print(row, flush=True)
    for language in languages:
        if language == "en":
            continue
        found = wanted = extra = 0
        for query in (q for q in data.queries if q.language == language):
            targets = set(bridged._bridged(query, dense.similarities(query.text)).targets)
            terms = english_terms.get(query.project_id, set())
            found += len(targets & terms)
            wanted += len(terms)
            extra += len(targets - terms)
        print(
            f"{language}: bridging found {found} of the English requests' {wanted} terms, "
            f"and {extra} other terms"
        )


def _synonym_operator(
    corpus: list[list[str]], retriever: object
) -> Callable[[list[str]], np.ndarray]:
    """BM25 (bm25s's Lucene variant and parameters) of several terms read as one: their
    frequencies summed in each text, the document frequency that of any of them."""
    from scipy.sparse import csc_matrix

    vocabulary: dict[str, int] = retriever.vocab_dict  # type: ignore[attr-defined]
    rows, columns, counts = [], [], []
    for row, tokens in enumerate(corpus):
        for term, count in Counter(tokens).items():
            rows.append(row)
            columns.append(vocabulary[term])
            counts.append(count)
    frequencies = csc_matrix(
        (counts, (rows, columns)), shape=(len(corpus), len(vocabulary)), dtype=np.float32
    )
    lengths = np.array([len(tokens) for tokens in corpus], dtype=np.float32)
    k1, b = retriever.k1, retriever.b  # type: ignore[attr-defined]
    length_norm = k1 * (1 - b + b * lengths / lengths.mean())

    def score(terms: list[str]) -> np.ndarray:
        frequency = np.asarray(frequencies[:, [vocabulary[t] for t in terms]].sum(axis=1)).ravel()
        documents = np.count_nonzero(frequency)
        idf = np.log(1 + (len(corpus) - documents + 0.5) / (documents + 0.5))
        return idf * frequency / (frequency + length_norm)

    return score


if __name__ == "__main__":
    main()
