"""Writes of matchmaking: keeping the index in step with the registry and portfolio, feedback.

Domain services report every create, update and delete through core's audit trail; matching
listens there (core.services.register_change_listener) and indexes the changed items when the
transaction commits, in one batch, so that a failed save indexes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from parkbridge.core import permissions
from parkbridge.core.models import AuditAction
from parkbridge.core.services import audit_record
from parkbridge.matching import calibration
from parkbridge.matching.documents import (
    MODEL_OF_KIND,
    ItemDocument,
    documents_for,
    kind_of,
)
from parkbridge.matching.embedders import Embedder, IndexMismatch, default_embedder
from parkbridge.matching.models import (
    FeedbackVerdict,
    IndexedItem,
    IndexState,
    LanguageCentroid,
    MatchableKind,
    MatchFeedback,
    Passage,
    TermVector,
)
from parkbridge.matching.text import chunk_text, terms_with_words
from parkbridge.matching.vectors import PgVectorStore, vector_store

logger = logging.getLogger(__name__)


@dataclass
class IndexingReport:
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    passages: int = 0


def index_state(embedder: Embedder) -> IndexState:
    """The state row, created for `embedder`; an index built by another embedder is refused."""
    state = IndexState.objects.first()
    if state is None:
        # Term vectors are the embedder's too; none may outlive the state that vouches for them.
        TermVector.objects.all().delete()
        return IndexState.objects.create(embedder=embedder.name, dimension=embedder.dimension)
    if state.embedder != embedder.name or state.dimension != embedder.dimension:
        if IndexedItem.objects.exists():
            raise IndexMismatch(state.embedder, embedder.name)
        TermVector.objects.all().delete()
        state.embedder, state.dimension = embedder.name, embedder.dimension
        state.save(update_fields=["embedder", "dimension"])
    return state


def _bump_generation() -> None:
    IndexState.objects.update(generation=F("generation") + 1)


# Bumped when the way items are cut or encoded changes, so that reindex embeds them again.
ENCODING_VERSION = "items-1"


def _fingerprint(embedder: Embedder, document: ItemDocument) -> str:
    digest = hashlib.sha256(f"{embedder.name}/{ENCODING_VERSION}".encode())
    for text in document.texts:
        digest.update(b"\0" + text.language.encode() + b"\0" + text.text.encode())
    return digest.hexdigest()


def _write_metadata(item: IndexedItem, document: ItemDocument) -> bool:
    changed = (item.owner_id, item.confidentiality, item.language) != (
        document.owner_id,
        document.confidentiality,
        document.language,
    )
    if changed:
        item.owner_id = document.owner_id
        item.confidentiality = document.confidentiality
        item.language = document.language
        item.save(update_fields=["owner_id", "confidentiality", "language", "indexed_at"])
    return changed


def _index_kind(
    embedder: Embedder, kind: str, object_ids: list[int], *, force: bool = False
) -> IndexingReport:
    report = IndexingReport()
    documents = documents_for(kind, object_ids)
    existing = {
        item.object_id: item
        for item in IndexedItem.objects.filter(kind=kind, object_id__in=object_ids)
    }
    gone = [oid for oid in object_ids if oid not in documents or not documents[oid].texts]
    IndexedItem.objects.filter(kind=kind, object_id__in=gone).delete()
    report.removed = sum(1 for oid in gone if oid in existing)

    to_embed: list[tuple[ItemDocument, str]] = []
    for object_id, document in documents.items():
        if not document.texts:
            continue
        fingerprint = _fingerprint(embedder, document)
        item = existing.get(object_id)
        if item is not None and item.fingerprint == fingerprint and not force:
            _write_metadata(item, document)
            report.unchanged += 1
            continue
        to_embed.append((document, fingerprint))

    chunks_of: list[list[tuple[str, str]]] = []
    for document, _fp in to_embed:
        chunks: list[tuple[str, str]] = []
        for text in document.texts:
            for chunk in chunk_text(
                text.text, max_tokens=embedder.max_tokens, count_tokens=embedder.count_tokens
            ):
                chunks.append((text.language, chunk))
        chunks_of.append(chunks)
    flat = [chunk for chunks in chunks_of for _lang, chunk in chunks]
    vectors = embedder.embed_items(flat) if flat else np.zeros((0, embedder.dimension))

    store = vector_store()
    start = 0
    words_of_terms: dict[str, str] = {}
    for (document, fingerprint), chunks in zip(to_embed, chunks_of, strict=True):
        pairs = [
            pair for text in document.texts for pair in terms_with_words(text.text, text.language)
        ]
        words_of_terms.update((term, word) for term, word in pairs if term not in words_of_terms)
        tokens = [term for term, _word in pairs]
        item, _created = IndexedItem.objects.update_or_create(
            kind=kind,
            object_id=document.object_id,
            defaults={
                "owner_id": document.owner_id,
                "confidentiality": document.confidentiality,
                "language": document.language,
                "lexical_tokens": " ".join(tokens),
                "fingerprint": fingerprint,
            },
        )
        item.passages.all().delete()
        passages = [
            Passage(item=item, ordinal=ordinal, language=language, text=chunk)
            for ordinal, (language, chunk) in enumerate(chunks)
        ]
        store.prepare(passages, vectors[start : start + len(chunks)])
        start += len(chunks)
        Passage.objects.bulk_create(passages)
        report.indexed += 1
        report.passages += len(passages)
    term_vectors_remember(embedder, words_of_terms)
    return report


TERM_BATCH = 512


def term_vectors_remember(embedder: Embedder, words_of_terms: dict[str, str]) -> int:
    """Embed and store the terms not stored yet (each from its readable word), for lexical
    bridging; returns how many were new. A vocabulary grows slowly, so after the first items
    most terms are known and this costs little."""
    terms = [term for term in words_of_terms if len(term) <= 200]
    known: set[str] = set()
    for start in range(0, len(terms), TERM_BATCH):
        known |= set(
            TermVector.objects.filter(term__in=terms[start : start + TERM_BATCH]).values_list(
                "term", flat=True
            )
        )
    new_terms = [term for term in terms if term not in known]
    for start in range(0, len(new_terms), TERM_BATCH):
        batch = new_terms[start : start + TERM_BATCH]
        vectors = embedder.embed_items([words_of_terms[term] for term in batch])
        TermVector.objects.bulk_create(
            [
                TermVector(
                    term=term,
                    word=words_of_terms[term][:200],
                    vector=vector.astype(np.float16).tobytes(),
                )
                for term, vector in zip(batch, vectors, strict=True)
            ],
            ignore_conflicts=True,
        )
    return len(new_terms)


def items_index(
    items: Iterable[tuple[str, int]],
    *,
    embedder: Embedder | None = None,
    force: bool = False,
) -> IndexingReport:
    """Bring the index up to date for these (kind, object id) pairs: embed new and changed
    texts, refresh confidentiality and owner, and remove what no longer exists."""
    embedder = embedder or default_embedder()
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, object_id in items:
        by_kind[kind].append(int(object_id))
    total = IndexingReport()
    with transaction.atomic():
        state = index_state(embedder)
        if connection.vendor == "postgresql":
            PgVectorStore.ensure_index(state.dimension)
        for kind, object_ids in by_kind.items():
            report = _index_kind(embedder, kind, sorted(set(object_ids)), force=force)
            total.indexed += report.indexed
            total.unchanged += report.unchanged
            total.removed += report.removed
            total.passages += report.passages
        _bump_generation()
    if IndexState.objects.filter(calibration=0).exists() and calibration.needs_calibration():
        calibration.recalibrate()
    return total


def reindex(
    *,
    embedder: Embedder | None = None,
    rebuild: bool = False,
    batch_size: int = 32,
    progress: Callable[[str, int, int], None] | None = None,
) -> IndexingReport:
    """Index every matchable item, batch by batch, each batch committed on its own.

    Interrupted, it resumes where it stopped: items whose text has not changed since they were
    indexed are skipped (their fingerprint matches), so a second run only does what is left.
    `rebuild` drops the index first (needed after changing the embedder).
    """
    embedder = embedder or default_embedder()
    if rebuild:
        with transaction.atomic():
            IndexedItem.objects.all().delete()
            IndexState.objects.all().delete()
            LanguageCentroid.objects.all().delete()
            TermVector.objects.all().delete()
    with transaction.atomic():
        state = index_state(embedder)
        state.reindex_started_at = timezone.now()
        state.reindex_finished_at = None
        state.save(update_fields=["reindex_started_at", "reindex_finished_at"])
    total = IndexingReport()
    for kind in MatchableKind.values:
        model = MODEL_OF_KIND[kind]
        object_ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        stale = set(
            IndexedItem.objects.filter(kind=kind)
            .exclude(object_id__in=object_ids)
            .values_list("object_id", flat=True)
        )
        pending = sorted(set(object_ids) | stale)
        for start in range(0, len(pending), batch_size):
            report = items_index(
                [(kind, object_id) for object_id in pending[start : start + batch_size]],
                embedder=embedder,
            )
            total.indexed += report.indexed
            total.unchanged += report.unchanged
            total.removed += report.removed
            total.passages += report.passages
            if progress is not None:
                progress(kind, min(start + batch_size, len(pending)), len(pending))
    if calibration.needs_calibration():
        calibration.recalibrate()
    IndexState.objects.update(reindex_finished_at=timezone.now())
    store = vector_store()
    if hasattr(store, "save_snapshot"):
        store.save_snapshot()
    return total


# Following changes made through the domain services -------------------------------------

_PENDING_KEY = "parkbridge_matching_pending"


def _related_items(instance: Model) -> list[tuple[str, int]]:
    kind = kind_of(instance)
    return [(kind, int(instance.pk))] if kind is not None and instance.pk is not None else []


def item_changed(instance: Model, action: str) -> None:
    """Called for every audited change: schedule the item for indexing at commit."""
    if not getattr(settings, "PARKBRIDGE_MATCHING_AUTO_INDEX", True):
        return
    items = _related_items(instance)
    if not items:
        return
    pending: set[tuple[str, int]] | None = getattr(connection, _PENDING_KEY, None)
    # One batch per transaction. A rolled-back transaction drops the callback (and with it the
    # batch); then a new one starts.
    scheduled = any(entry[1] is _index_pending for entry in connection.run_on_commit)
    if pending is None or not scheduled:
        pending = set()
        setattr(connection, _PENDING_KEY, pending)
        transaction.on_commit(_index_pending)
    pending.update(items)


def _index_pending() -> None:
    pending = getattr(connection, _PENDING_KEY, None) or set()
    setattr(connection, _PENDING_KEY, None)
    if not pending:
        return
    try:
        items_index(sorted(pending))
    except Exception:
        # The change itself is saved; a failed indexing must not turn it into an error page.
        # `parkbridge reindex` catches up.
        logger.exception("Matching index update failed for %d items", len(pending))


# Feedback -------------------------------------------------------------------------------


def feedback_set(
    *,
    actor: Any,
    source: Model,
    target: Model,
    verdict: str,
) -> MatchFeedback:
    """Record what a user thinks of `target` as a match for `source` (one verdict per pair)."""
    if not permissions.is_network_member(actor):
        raise PermissionDenied(_("Only members of the network can rate suggestions."))
    if verdict not in FeedbackVerdict.values:
        raise ValidationError({"verdict": _("Choose interested or not relevant.")})
    for obj in (source, target):
        if hasattr(obj, "confidentiality") and not permissions.can_view(actor, obj):
            raise PermissionDenied(_("You cannot see this item."))
    source_kind, target_kind = kind_of(source), kind_of(target)
    if source_kind is None or target_kind is None:
        raise ValidationError(_("These items cannot be matched."))
    feedback, _created = MatchFeedback.objects.update_or_create(
        user=actor,
        source_kind=source_kind,
        source_id=source.pk,
        target_kind=target_kind,
        target_id=target.pk,
        defaults={"verdict": verdict},
    )
    # Recorded like any change so that apps above (the pipeline opens leads from mutual
    # interest) can react without matching knowing them.
    audit_record(
        actor=actor,
        action=AuditAction.CREATED if _created else AuditAction.UPDATED,
        target=feedback,
        changes={"verdict": verdict},
    )
    return feedback


def feedback_clear(*, actor: Any, source: Model, target: Model) -> None:
    if not permissions.is_network_member(actor):
        raise PermissionDenied(_("Only members of the network can rate suggestions."))
    MatchFeedback.objects.filter(
        user=actor,
        source_kind=kind_of(source),
        source_id=source.pk,
        target_kind=kind_of(target),
        target_id=target.pk,
    ).delete()
