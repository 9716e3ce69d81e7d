"""The index follows every change, resumes an interrupted rebuild, and has two backends."""

from __future__ import annotations

import pytest
from django.db import connection

from parkbridge.matching.embedders import IndexMismatch
from parkbridge.matching.models import IndexedItem, IndexState, Passage, TermVector
from parkbridge.matching.ranking import MatchSource, matches
from parkbridge.matching.services import items_index, reindex
from parkbridge.matching.vectors import InProcessVectorStore, PgVectorStore, vector_store
from parkbridge.offers.models import Offer
from parkbridge.offers.services import offer_create, offer_delete, offer_update
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auto_index(settings):
    settings.PARKBRIDGE_MATCHING_AUTO_INDEX = True


def _offer(actor, owner, **values):
    defaults = {
        "kind": "mentoring",
        "title": "Mentoring for hydrogen startups",
        "description": "Founders of fuel cell companies mentor young teams.",
        "language": "en",
        "confidentiality": "public",
    }
    return offer_create(actor=actor, owner=owner, **{**defaults, **values})


def test_saving_through_the_services_indexes_at_commit(
    auto_index, staff_user, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(staff_user, organization)
    item = IndexedItem.objects.get(kind="offer", object_id=offer.pk)
    assert item.passages.count() == 1
    assert "hydrogen" in item.lexical_tokens
    # Each term's meaning is stored once, embedded from the word it came from, not its stem.
    founder = TermVector.objects.get(term="founder")
    assert founder.word == "founders" and len(founder.vector) == 2 * 384
    passage_ids = set(item.passages.values_list("id", flat=True))

    # Only the confidentiality changes: no new embedding, the item's secrecy follows.
    with django_capture_on_commit_callbacks(execute=True):
        offer_update(actor=staff_user, offer=offer, confidentiality="network")
    item.refresh_from_db()
    assert item.confidentiality == "network"
    assert set(item.passages.values_list("id", flat=True)) == passage_ids

    # The text changes: the passages are embedded again.
    with django_capture_on_commit_callbacks(execute=True):
        offer_update(actor=staff_user, offer=offer, description="Now about laser welding.")
    item.refresh_from_db()
    assert not set(item.passages.values_list("id", flat=True)) & passage_ids
    assert "laser" in item.passages.get().text

    with django_capture_on_commit_callbacks(execute=True):
        offer_delete(actor=staff_user, offer=offer)
    assert not IndexedItem.objects.filter(kind="offer", object_id=offer.pk).exists()
    assert not Passage.objects.exists()


def test_a_failed_save_indexes_nothing(
    auto_index, staff_user, organization, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _offer(staff_user, organization, kind="investment")  # an investment needs a ticket
    assert not IndexedItem.objects.exists()


def test_a_new_item_is_found_without_a_rebuild(
    auto_index, staff_user, organization, member, django_capture_on_commit_callbacks
):
    other = OrganizationFactory(slug="welders")
    with django_capture_on_commit_callbacks(execute=True):
        _offer(staff_user, other, title="Robotic welding", description="Welding cells.")
    request = MatchSource.text("mentoring for hydrogen fuel cell founders")
    assert matches(request, "offer", viewer=member)[0].obj.title == "Robotic welding"
    with django_capture_on_commit_callbacks(execute=True):
        _offer(staff_user, other)
    assert matches(request, "offer", viewer=member)[0].obj.title.startswith("Mentoring")


def test_reindex_resumes_after_an_interruption(staff_user, organization):
    for number in range(5):
        _offer(staff_user, organization, title=f"Offer {number} on fuel cells")
    calls = []

    def interrupt(kind, done, total):
        calls.append((kind, done))
        if kind == "offer":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reindex(batch_size=2, progress=interrupt)
    assert IndexedItem.objects.filter(kind="offer").count() == 2  # the first batch landed

    report = reindex(batch_size=2)
    assert IndexedItem.objects.filter(kind="offer").count() == 5
    assert report.indexed == 3 + 1  # the three offers left, and the organization
    assert report.unchanged == 2
    assert reindex().indexed == 0


def test_reindex_removes_what_no_longer_exists(staff_user, organization):
    offer = _offer(staff_user, organization)
    reindex()
    Offer.objects.filter(pk=offer.pk).delete()  # deleted behind the services' back
    assert reindex().removed == 1
    assert not IndexedItem.objects.filter(kind="offer").exists()


def test_an_index_built_by_another_embedder_is_refused(staff_user, organization, member):
    _offer(staff_user, organization)
    reindex()
    IndexState.objects.update(embedder="sentence-transformers:some-other-model")
    with pytest.raises(IndexMismatch, match="reindex --rebuild"):
        matches(MatchSource.text("fuel cells"), "offer", viewer=member)
    with pytest.raises(IndexMismatch):
        reindex()
    TermVector.objects.update(vector=b"")  # as another model's vectors would be
    assert reindex(rebuild=True).indexed == 2
    assert not TermVector.objects.filter(vector=b"").exists()
    assert TermVector.objects.filter(term="fuel").exists()
    assert matches(MatchSource.text("fuel cells"), "offer", viewer=member)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-process index serves SQLite")
def test_each_process_catches_up_and_starts_from_the_snapshot(staff_user, organization, tmp_path):
    first = _offer(staff_user, organization)
    items_index([("offer", first.pk)])
    worker = InProcessVectorStore(tmp_path)  # another web worker, say
    assert worker.search_count() == 1
    second = _offer(staff_user, organization, title="Second offer")
    items_index([("offer", second.pk)])
    assert worker.search_count() == 2
    worker.save_snapshot()
    assert (tmp_path / "passages.npz").exists()
    restarted = InProcessVectorStore(tmp_path)
    assert restarted.search_count() == 2
    # A snapshot from another database (another identity) is not trusted.
    IndexState.objects.update(identity="0" * 32)
    assert InProcessVectorStore(tmp_path).search_count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pgvector serves PostgreSQL")
def test_postgresql_searches_with_a_pgvector_hnsw_index(staff_user, organization, member):
    offer = _offer(staff_user, organization)
    items_index([("offer", offer.pk)])
    assert isinstance(vector_store(), PgVectorStore)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'matching_passage' "
            "AND indexdef LIKE '%%hnsw%%'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("vector(384)" in definition for definition in definitions)
    passage = Passage.objects.get()
    assert passage.vector is not None  # what pgvector searches (centred once calibrated)
    assert passage.embedding is not None  # the raw vector, kept for re-centring
    assert matches(MatchSource.text("fuel cell mentoring"), "offer", viewer=member)


def test_a_rolled_back_transaction_does_not_stop_later_indexing(
    auto_index, staff_user, organization, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _offer(staff_user, organization, title="Never saved")
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(staff_user, organization, title="Saved after a failure")
    assert IndexedItem.objects.filter(kind="offer", object_id=offer.pk).exists()
