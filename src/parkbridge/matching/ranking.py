"""Hybrid ranking: meaning (dense vectors), shared terms (BM25) and structured fit, explained.

For a source (a project, an offer, or a free-text request) and a target kind, the ranking
1. finds candidates by vector search over passages and by BM25 over items, both restricted
   to what the viewer may see;
2. turns each channel into evidence: BM25 scaled by the best candidate's score; cosine
   similarity as a z-score against a background sample of the target kind (how unusually
   close a passage is, not how close: e5's cosines crowd between 0.7 and 0.9), above 2;
3. fuses them, giving BM25 a share in proportion to how many of the query's terms occur in
   the target texts at all (a Russian request over English texts leans on meaning alone);
4. for organizations, adds up each channel over the organization's three best items: its
   own profile and the projects it takes part in (as the partner-search benchmark measures);
5. mixes in the structured fit of the best candidates (focus areas, TRL, ticket, countries,
   partner kind, stage) and keeps, for each result, the passages of both sides that matched
   best.

The weights were chosen on the partner-search dev queries (docs/benchmarks.md).
"""

from __future__ import annotations

import heapq
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Model

from parkbridge.accounts.models import Membership
from parkbridge.core import permissions
from parkbridge.core.i18n import CONTENT_LANGUAGE_CODES, detect_language
from parkbridge.matching.bridging import BRIDGE_CONTEXT, Bridges, bridge
from parkbridge.matching.calibration import centred
from parkbridge.matching.documents import (
    CONFIDENTIAL_KINDS,
    MODEL_OF_KIND,
    LanguageText,
    document_of,
    kind_of,
)
from parkbridge.matching.embedders import Embedder, IndexMismatch, default_embedder
from parkbridge.matching.fit import (
    FACTOR_LABELS,
    FitFactor,
    focus_factors,
    project_offer_factors,
    project_organization_factors,
)
from parkbridge.matching.fusion import (
    BEST_OF,
    DENSE_CANDIDATES,
    LEXICAL_CANDIDATES,
    dense_evidence,
    fuse,
    lexical_share,
    scaled,
    sum_of_best,
)
from parkbridge.matching.glossary import GlossaryHit, default_glossary
from parkbridge.matching.lexical import lexical_index
from parkbridge.matching.models import (
    FeedbackVerdict,
    IndexedItem,
    IndexState,
    MatchableKind,
    MatchFeedback,
    Passage,
    TermVector,
)
from parkbridge.matching.text import chunk_text, script_of, terms_with_words
from parkbridge.matching.vectors import PassageFilter, stored_vectors, vector_store
from parkbridge.offers.models import Offer
from parkbridge.portfolio.models import Project, ProjectParticipant
from parkbridge.registry.models import FocusArea, Organization, Person

FIT_WEIGHT = 0.3
QUERY_PASSAGES = 8
BACKGROUND_SAMPLE = 512


@dataclass
class Factor:
    name: str
    value: float
    weight: float
    detail: str = ""

    @property
    def label(self) -> str:
        return str(FACTOR_LABELS[self.name])

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass
class PassageMatch:
    source_text: str
    source_language: str
    target_text: str
    target_language: str
    similarity: float


@dataclass
class Match:
    kind: str
    obj: Any
    score: float
    factors: list[Factor] = field(default_factory=list)
    shared_focus_areas: list[FocusArea] = field(default_factory=list)
    passages: PassageMatch | None = None
    via: list[Project] = field(default_factory=list)
    verdict: str | None = None
    # Terms of the request found in the target in another language: (request word, its word).
    bridges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.score)


@dataclass
class MatchSource:
    """What is matched: an item (its indexed passages) or a free-text request."""

    texts: list[LanguageText]
    obj: Model | None = None
    kind: str | None = None

    @classmethod
    def of(cls, obj: Model) -> MatchSource:
        document = document_of(obj)
        return cls(texts=document.texts, obj=obj, kind=document.kind)

    @classmethod
    def text(cls, text: str, language: str = "") -> MatchSource:
        if language not in CONTENT_LANGUAGE_CODES:
            language = detect_language(text) if text.strip() else "en"
        return cls(texts=[LanguageText(language, text.strip())])


@dataclass
class _QueryPassages:
    vectors: np.ndarray
    texts: list[tuple[str, str]]  # (language, text), one per vector


def _query_passages(source: MatchSource, embedder: Embedder) -> _QueryPassages:
    if source.kind is not None and source.obj is not None:
        passages = list(
            Passage.objects.filter(item__kind=source.kind, item__object_id=source.obj.pk)
            .order_by("ordinal")
            .values_list("id", "language", "text")[:QUERY_PASSAGES]
        )
        stored = stored_vectors(p[0] for p in passages)
        if passages and len(stored) == len(passages):
            return _QueryPassages(
                np.vstack([stored[p[0]] for p in passages]), [(p[1], p[2]) for p in passages]
            )
    chunks = [
        (text.language, chunk)
        for text in source.texts
        for chunk in chunk_text(
            text.text, max_tokens=embedder.max_tokens, count_tokens=embedder.count_tokens
        )
    ][:QUERY_PASSAGES]
    if not chunks:
        return _QueryPassages(np.zeros((0, embedder.dimension), dtype=np.float32), [])
    vectors = embedder.embed_items([chunk for _l, chunk in chunks])
    return _QueryPassages(centred(vectors, [language for language, _c in chunks]), chunks)


# (database, index identity, calibration, generation bucket) -> kind -> sample
_background_cache: dict[tuple[str, str, int, int], dict[str, np.ndarray]] = {}


def _background(kind: str) -> np.ndarray:
    """A random sample of the kind's passage vectors, to tell an unusually close passage from
    an ordinary one."""
    state = IndexState.objects.values_list("identity", "generation", "calibration").first()
    identity, generation, calibration = state or ("", 0, 0)
    # A sample stays good while the index changes little; new centroids change every vector.
    index_state = (str(connection.settings_dict["NAME"]), identity, calibration, generation // 100)
    samples = _background_cache.get(index_state)
    if samples is None:
        _background_cache.clear()
        samples = _background_cache[index_state] = {}
    if kind in samples:
        return samples[kind]
    ids = list(Passage.objects.filter(item__kind=kind).order_by("id").values_list("id", flat=True))
    if len(ids) > BACKGROUND_SAMPLE:
        ids = random.Random(0).sample(ids, BACKGROUND_SAMPLE)
    vectors = stored_vectors(ids)
    sample = np.vstack(list(vectors.values())) if vectors else np.zeros((0, 1), np.float32)
    samples[kind] = sample
    return sample


def _dense_evidence(
    query: _QueryPassages, where: PassageFilter
) -> dict[int, tuple[float, int, int]]:
    """Per object: (evidence, query passage index, target passage id) of its closest passage."""
    if not len(query.vectors):
        return {}
    background = _background(where.kind)
    if len(background) < 2 or background.shape[1] != query.vectors.shape[1]:
        means, spreads = np.zeros(len(query.vectors)), np.ones(len(query.vectors))
    else:
        similarities = background @ query.vectors.T
        means, spreads = similarities.mean(axis=0), np.maximum(similarities.std(axis=0), 1e-3)
    best: dict[int, tuple[float, int, int]] = {}
    store = vector_store()
    for position, vector in enumerate(query.vectors):
        for hit in store.search(vector, DENSE_CANDIDATES, where):
            if hit.score <= means[position]:
                continue  # below the background's mean: no evidence, whatever the floor
            z = (hit.score - means[position]) / spreads[position]
            evidence = dense_evidence(float(z), len(background))
            if evidence > 0 and (hit.object_id not in best or evidence > best[hit.object_id][0]):
                best[hit.object_id] = (evidence, position, hit.passage_id)
    return best


def _shared_object_ids(kind: str, scope: permissions.VisibilityScope) -> frozenset[int]:
    if kind not in CONFIDENTIAL_KINDS or scope.everything or not scope.organization_ids:
        return frozenset()
    return frozenset(permissions.shared_object_ids(MODEL_OF_KIND[kind], scope.organization_ids))


@dataclass
class _Channels:
    lexical: dict[int, float]
    dense: dict[int, tuple[float, int, int]]
    coverage: float
    bridged: Bridges = field(default_factory=Bridges)


# Word vectors of requests, by (embedder, word): requests share most of their words, and
# embedding a request's words is most of what bridging costs (docs/benchmarks.md).
_word_vectors: dict[tuple[str, str], np.ndarray] = {}
WORD_CACHE_SIZE = 50_000


@dataclass
class _QueryTerms:
    """The request's index terms, with a readable word for each (what bridging embeds), and
    the glossary forms found in its texts."""

    tokens: list[str]
    words: dict[str, str]
    embedder: Embedder
    texts: list[tuple[str, str]] = field(default_factory=list)  # (text, language)

    @cached_property
    def glossary_hits(self) -> list[GlossaryHit]:
        # Looked up only when a request has something to bridge: a process that never bridges
        # never reads the glossary (seconds).
        glossary = default_glossary()
        return [hit for text, language in self.texts for hit in glossary.hits(text, language)]

    def vectors(self, terms: list[str]) -> np.ndarray:
        keys = [(self.embedder.name, self.words[term]) for term in terms]
        # Read into a local mapping: another thread may clear the shared cache meanwhile.
        vectors = {key: found for key in keys if (found := _word_vectors.get(key)) is not None}
        missing = sorted({key for key in keys if key not in vectors})
        if missing:
            embedded = self.embedder.embed_items([word for _name, word in missing])
            vectors.update(zip(missing, embedded, strict=True))
            if len(_word_vectors) + len(missing) > WORD_CACHE_SIZE:
                _word_vectors.clear()
            _word_vectors.update(zip(missing, embedded, strict=True))
        return np.vstack([vectors[key] for key in keys])


TERM_FETCH = 2000
# Stored term vectors, per database and index identity (float16, as stored: about 60 MB for
# the 75,000 terms of 100,000 abstracts).
_term_cache: dict[tuple[str, str], dict[str, np.ndarray]] = {}


def _term_vectors(terms: list[str]) -> tuple[list[str], np.ndarray]:
    """The stored vectors of these terms, one row per term found."""
    identity = IndexState.objects.values_list("identity", flat=True).first() or ""
    key = (str(connection.settings_dict["NAME"]), identity)
    cache = _term_cache.get(key)
    if cache is None:
        # Read them all once (a second at 75,000 terms): reading a new context's terms one
        # query at a time made the slowest requests twice as slow.
        _term_cache.clear()
        cache = _term_cache[key] = {
            term: np.frombuffer(bytes(vector), dtype=np.float16)
            for term, vector in TermVector.objects.values_list("term", "vector").iterator()
        }
    missing = [term for term in terms if term not in cache]
    for start in range(0, len(missing), TERM_FETCH):
        for term, vector in TermVector.objects.filter(
            term__in=missing[start : start + TERM_FETCH]
        ).values_list("term", "vector"):
            cache[term] = np.frombuffer(bytes(vector), dtype=np.float16)
    found = [term for term in terms if term in cache]
    if not found:
        return [], np.zeros((0, 1), dtype=np.float32)
    return found, np.vstack([cache[term] for term in found]).astype(np.float32)


def _bridged(terms: _QueryTerms, kind: str, dense: dict[int, tuple[float, int, int]]) -> Bridges:
    """Query terms paired with terms of another script among the closest items the viewer
    may see (matching/bridging.py)."""
    if not terms.words or not dense:
        return Bridges()
    if not lexical_index.scripts(kind) - {script_of(term) for term in terms.words}:
        return Bridges()  # every target term is in the request's own scripts: nothing to bridge
    context = heapq.nlargest(BRIDGE_CONTEXT, dense, key=lambda object_id: dense[object_id][0])
    item_terms = {
        term
        for tokens in IndexedItem.objects.filter(kind=kind, object_id__in=context).values_list(
            "lexical_tokens", flat=True
        )
        for term in tokens.split(" ")
        if term
    }
    return bridge(terms.words, terms.glossary_hits, item_terms, _term_vectors, terms.vectors)


def _channels(
    source: MatchSource,
    query: _QueryPassages,
    terms: _QueryTerms,
    kind: str,
    viewer: Any,
    excluded: frozenset[int],
) -> _Channels:
    scope = permissions.visibility_scope(viewer)
    shared = _shared_object_ids(kind, scope)
    where = PassageFilter(kind, scope, shared, excluded)
    dense = _dense_evidence(query, where)
    bridged = _bridged(terms, kind, dense)
    lexical = lexical_index.scores(
        kind,
        terms.tokens,
        alternatives=bridged.alternatives,
        scope=scope,
        shared_object_ids=shared,
        excluded_object_ids=excluded,
        limit=LEXICAL_CANDIDATES,
    )
    coverage = lexical_index.coverage(kind, terms.tokens, bridged.covered)
    return _Channels(lexical, dense, coverage, bridged)


def _excluded_for(source: MatchSource, kind: str, viewer: Any) -> frozenset[int]:
    """The source itself, what its own organization owns or runs, and what the viewer or the
    source's team marked not relevant."""
    obj = source.obj
    if obj is None or source.kind is None:
        return frozenset()
    excluded: set[int] = {obj.pk} if source.kind == kind else set()
    if isinstance(obj, Organization):
        own_organization: int | None = obj.pk
    else:
        own_organization = getattr(obj, "owner_id", None)
    # Suggestions are new partners: not the source's own organization (with its parent and
    # branches), nor, for a project, the organizations already taking part in it.
    own_organizations: set[int] = set()
    if own_organization is not None:
        own_organizations = _organization_family(own_organization)
    if isinstance(obj, Project):
        own_organizations |= set(obj.participants.values_list("organization_id", flat=True))
        if kind == MatchableKind.PERSON:
            excluded |= set(obj.team.values_list("person_id", flat=True))
    if own_organizations and kind in CONFIDENTIAL_KINDS:
        excluded |= set(
            MODEL_OF_KIND[kind]
            ._default_manager.filter(owner_id__in=own_organizations)
            .values_list("pk", flat=True)
        )
    if kind == MatchableKind.ORGANIZATION:
        excluded |= own_organizations
    judges = set()
    if getattr(viewer, "is_authenticated", False):
        judges.add(viewer.pk)
    if own_organization is not None:
        judges |= set(
            Membership.objects.filter(organization_id=own_organization).values_list(
                "user_id", flat=True
            )
        )
    excluded |= set(
        MatchFeedback.objects.filter(
            source_kind=source.kind,
            source_id=obj.pk,
            target_kind=kind,
            verdict=FeedbackVerdict.NOT_RELEVANT,
            user_id__in=judges,
        ).values_list("target_id", flat=True)
    )
    return frozenset(excluded)


def _organization_family(organization_id: int) -> set[int]:
    """An organization with its parents and branches: a university is not its own technopark's
    partner suggestion."""
    parents = dict(Organization.objects.values_list("pk", "parent_id"))
    root = organization_id
    while parents.get(root) is not None:
        root = parents[root]
    family = {root}
    frontier = {root}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - family
        family |= frontier
    return family


def _organizations_of_projects(project_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = list(project_ids)
    organizations: dict[int, set[int]] = defaultdict(set)
    for project_id, owner_id in Project.objects.filter(pk__in=ids).values_list("pk", "owner_id"):
        organizations[project_id].add(owner_id)
    for project_id, organization_id in ProjectParticipant.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "organization_id"):
        organizations[project_id].add(organization_id)
    return organizations


@dataclass
class _Scored:
    object_id: int
    lexical: float
    dense: float
    text: float
    best_passage: tuple[int, int] | None  # (query passage index, target passage id)
    via: list[int] = field(default_factory=list)


@dataclass
class _TextScores:
    scored: list[_Scored]
    coverage: float
    bridged: Bridges


def _text_scores(
    source: MatchSource,
    query: _QueryPassages,
    terms: _QueryTerms,
    kind: str,
    viewer: Any,
    keep: int,
) -> _TextScores:
    """The `keep` best candidates by text (meaning and terms), the query's term coverage and
    the terms bridged across languages."""
    if kind != MatchableKind.ORGANIZATION:
        channels = _channels(
            source, query, terms, kind, viewer, _excluded_for(source, kind, viewer)
        )
        lexical = scaled(channels.lexical)
        dense = scaled({key: value[0] for key, value in channels.dense.items()})
        fused = fuse(lexical, dense, channels.coverage)
        best = heapq.nlargest(keep, ((value, key) for key, value in fused.items() if value > 0))
        scored = [
            _Scored(
                key,
                lexical.get(key, 0.0),
                dense.get(key, 0.0),
                value,
                channels.dense[key][1:] if key in channels.dense else None,
            )
            for value, key in best
        ]
        return _TextScores(scored, channels.coverage, channels.bridged)

    # Organizations speak through their own profile and through the projects they take part in.
    excluded_organizations = _excluded_for(source, MatchableKind.ORGANIZATION, viewer)
    profiles = _channels(
        source, query, terms, MatchableKind.ORGANIZATION, viewer, excluded_organizations
    )
    excluded_projects = _excluded_for(source, MatchableKind.PROJECT, viewer)
    projects = _channels(source, query, terms, MatchableKind.PROJECT, viewer, excluded_projects)
    organizations_of = _organizations_of_projects(set(projects.lexical) | set(projects.dense))
    lexical_parts: dict[int, list[float]] = defaultdict(list)
    dense_parts: dict[int, list[float]] = defaultdict(list)
    contributions: dict[int, list[tuple[float, int]]] = defaultdict(list)
    best_passage: dict[int, tuple[float, tuple[int, int]]] = {}
    for organization_id, value in profiles.lexical.items():
        lexical_parts[organization_id].append(value)
    for organization_id, (evidence, position, passage_id) in profiles.dense.items():
        dense_parts[organization_id].append(evidence)
        best_passage[organization_id] = (evidence, (position, passage_id))
    for project_id, organization_ids in organizations_of.items():
        lexical_value = projects.lexical.get(project_id, 0.0)
        evidence, position, passage_id = projects.dense.get(project_id, (0.0, -1, -1))
        for organization_id in organization_ids - excluded_organizations:
            if lexical_value:
                lexical_parts[organization_id].append(lexical_value)
            if evidence:
                dense_parts[organization_id].append(evidence)
                if evidence > best_passage.get(organization_id, (0.0, None))[0]:
                    best_passage[organization_id] = (evidence, (position, passage_id))
            contributions[organization_id].append((lexical_value + evidence, project_id))
    lexical = scaled({key: sum_of_best(values) for key, values in lexical_parts.items()})
    dense = scaled({key: sum_of_best(values) for key, values in dense_parts.items()})
    coverage = max(profiles.coverage, projects.coverage)
    fused = fuse(lexical, dense, coverage)
    scored = []
    for value, key in heapq.nlargest(keep, ((v, k) for k, v in fused.items() if v > 0)):
        via = [pid for _v, pid in sorted(contributions.get(key, []), reverse=True)[:BEST_OF]]
        passage = best_passage.get(key)
        scored.append(
            _Scored(
                key,
                lexical.get(key, 0.0),
                dense.get(key, 0.0),
                value,
                passage[1] if passage else None,
                via,
            )
        )
    return _TextScores(scored, coverage, profiles.bridged | projects.bridged)


def _fit_of(source: MatchSource, kind: str, target: Any) -> tuple[list[FitFactor], list[FocusArea]]:
    obj = source.obj
    if isinstance(obj, Project) and kind == MatchableKind.OFFER:
        return project_offer_factors(obj, target)
    if isinstance(obj, Offer) and kind == MatchableKind.PROJECT:
        return project_offer_factors(target, obj)
    if isinstance(obj, Project) and kind == MatchableKind.ORGANIZATION:
        return project_organization_factors(obj, target)
    if obj is not None and hasattr(obj, "focus_areas") and hasattr(target, "focus_areas"):
        return focus_factors(obj.focus_areas.all(), target.focus_areas.all())
    return [], []


TARGET_PREFETCH: dict[str, list[str]] = {
    MatchableKind.PROJECT: ["focus_areas", "needs", "owner"],
    MatchableKind.OFFER: ["focus_areas", "owner"],
    MatchableKind.ORGANIZATION: ["focus_areas"],
    MatchableKind.PERSON: ["focus_areas", "affiliations__organization"],
}


def _targets(kind: str, object_ids: list[int], viewer: Any) -> dict[int, Any]:
    """The target objects, checked once more against the permission policy."""
    model = MODEL_OF_KIND[kind]
    queryset = model._default_manager.filter(pk__in=object_ids)
    if kind in CONFIDENTIAL_KINDS:
        queryset = permissions.visible(queryset, viewer)
    return {obj.pk: obj for obj in queryset.prefetch_related(*TARGET_PREFETCH[kind])}


def _passage_matches(
    query: _QueryPassages, best: dict[int, tuple[int, int]]
) -> dict[int, PassageMatch]:
    """For each result (by object id), the query passage and target passage that matched."""
    passage_ids = {passage_id for _position, passage_id in best.values() if passage_id >= 0}
    texts = {
        pk: (language, text)
        for pk, language, text in Passage.objects.filter(pk__in=passage_ids).values_list(
            "pk", "language", "text"
        )
    }
    vectors = stored_vectors(passage_ids)
    result: dict[int, PassageMatch] = {}
    for object_id, (position, passage_id) in best.items():
        if passage_id not in texts or position < 0:
            continue
        similarity = (
            float(vectors[passage_id] @ query.vectors[position]) if passage_id in vectors else 0.0
        )
        language, text = query.texts[position]
        target_language, target_text = texts[passage_id]
        result[object_id] = PassageMatch(text, language, target_text, target_language, similarity)
    return result


def matches(
    source: MatchSource,
    kind: str,
    *,
    viewer: Any,
    limit: int = 10,
    embedder: Embedder | None = None,
) -> list[Match]:
    """The best `limit` items of `kind` for `source` that `viewer` may see, explained."""
    if kind not in MatchableKind.values:
        raise ValueError(f"Unknown kind {kind!r}")
    if not IndexedItem.objects.exists():
        return []
    embedder = embedder or default_embedder()
    state = IndexState.objects.first()
    if state is not None and state.embedder != embedder.name:
        raise IndexMismatch(state.embedder, embedder.name)
    query = _query_passages(source, embedder)
    pairs = [pair for text in source.texts for pair in terms_with_words(text.text, text.language)]
    words: dict[str, str] = {}
    for term, word in pairs:
        words.setdefault(term, word)
    texts = [(text.text, text.language) for text in source.texts]
    terms = _QueryTerms([term for term, _word in pairs], words, embedder, texts)
    text_scores = _text_scores(source, query, terms, kind, viewer, max(3 * limit, 30))
    shortlist, coverage = text_scores.scored, text_scores.coverage
    if not shortlist:
        return []
    targets = _targets(kind, [item.object_id for item in shortlist], viewer)
    lexical_weight = lexical_share(coverage)
    results: list[Match] = []
    for item in shortlist:
        target = targets.get(item.object_id)
        if target is None:
            continue
        fit_factors, shared = _fit_of(source, kind, target)
        text_weight = 1 - FIT_WEIGHT if fit_factors else 1.0
        factors = [
            Factor("lexical", item.lexical, text_weight * lexical_weight),
            Factor("dense", item.dense, text_weight * (1 - lexical_weight)),
        ]
        for fit in fit_factors:
            factors.append(Factor(fit.name, fit.value, FIT_WEIGHT / len(fit_factors), fit.detail))
        score = min(1.0, sum(factor.contribution for factor in factors))
        results.append(Match(kind, target, score, factors, shared))
    results.sort(key=lambda match: -match.score)
    results = results[:limit]
    scored_of = {item.object_id: item for item in shortlist}
    via_ids = {pid for match in results for pid in scored_of[match.obj.pk].via}
    via_projects = (
        {p.pk: p for p in permissions.visible(Project.objects.filter(pk__in=via_ids), viewer)}
        if via_ids
        else {}
    )
    verdicts = _verdicts(source, kind, viewer)
    passages = _passage_matches(
        query,
        # Passages are shown as the reason only where meaning contributed.
        {
            match.obj.pk: best
            for match in results
            if (best := scored_of[match.obj.pk].best_passage) is not None
            and scored_of[match.obj.pk].dense > 0
        },
    )
    for match in results:
        via = scored_of[match.obj.pk].via
        match.via = [via_projects[pid] for pid in via if pid in via_projects]
        match.passages = passages.get(match.obj.pk)
        match.verdict = verdicts.get(match.obj.pk)
    if text_scores.bridged.pairs:
        _explain_bridges(results, kind, terms, text_scores.bridged)
    return results


def _explain_bridges(results: list[Match], kind: str, terms: _QueryTerms, bridged: Bridges) -> None:
    """For each result, the bridged pairs whose target term occurs in its texts (or, for an
    organization, in the projects it is matched through): (query word, target word)."""
    wanted = {(kind, match.obj.pk) for match in results} | {
        (MatchableKind.PROJECT, project.pk) for match in results for project in match.via
    }
    tokens_of: dict[tuple[str, int], set[str]] = {}
    for item_kind, object_id, tokens in IndexedItem.objects.filter(
        kind__in={item_kind for item_kind, _id in wanted},
        object_id__in={object_id for _kind, object_id in wanted},
    ).values_list("kind", "object_id", "lexical_tokens"):
        if (item_kind, object_id) in wanted:
            tokens_of[(item_kind, object_id)] = set(tokens.split(" "))
    target_words = dict(
        TermVector.objects.filter(term__in=set(bridged.targets)).values_list("term", "word")
    )
    present_in: dict[int, set[str]] = {}
    for match in results:
        present = set(tokens_of.get((kind, match.obj.pk), set()))
        for project in match.via:
            present |= tokens_of.get((MatchableKind.PROJECT, project.pk), set())
        present_in[match.obj.pk] = present
    # The terms this match shares with few others tell most about it: those come first.
    results_with = Counter(term for present in present_in.values() for term in present)
    for match in results:
        present = present_in[match.obj.pk]
        pairs = sorted(
            (pair for pair in bridged.pairs if pair[1] in present),
            key=lambda pair: results_with[pair[1]],
        )
        shown = (
            (
                terms.words.get(query_term, query_term),
                bridged.forms.get(target_term) or target_words.get(target_term, target_term),
            )
            for query_term, target_term in pairs
        )
        match.bridges = list(dict.fromkeys(shown))


def _verdicts(source: MatchSource, kind: str, viewer: Any) -> dict[int, str]:
    if source.obj is None or source.kind is None or not getattr(viewer, "is_authenticated", False):
        return {}
    return dict(
        MatchFeedback.objects.filter(
            user=viewer, source_kind=source.kind, source_id=source.obj.pk, target_kind=kind
        ).values_list("target_id", "verdict")
    )


TARGET_KINDS_OF_SOURCE: dict[type[Model], list[str]] = {
    Project: [MatchableKind.OFFER, MatchableKind.ORGANIZATION, MatchableKind.PERSON],
    Offer: [MatchableKind.PROJECT, MatchableKind.ORGANIZATION],
    Organization: [MatchableKind.PROJECT, MatchableKind.OFFER],
    Person: [MatchableKind.PROJECT],
}


def target_kinds_for(obj: Model) -> list[str]:
    return TARGET_KINDS_OF_SOURCE.get(type(obj), [])


def source_kind(obj: Model) -> str | None:
    return kind_of(obj)
