"""What matchmaking stores: each matchable item's passages with their vectors, and feedback.

An `IndexedItem` mirrors one project, offer, organization or person: its confidentiality and
owner (so that a vector search filters inside the search), its lexical tokens, and a
fingerprint of its text, so that re-indexing skips what has not changed. Vectors live in
`Passage`: as float32 bytes on SQLite (loaded into the in-process index) and in a pgvector
column on PostgreSQL (searched with an HNSW index).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pgvector.django import VectorField

from parkbridge.core.models import Confidentiality, TimeStampedModel


class MatchableKind(models.TextChoices):
    PROJECT = "project", _("Project")
    OFFER = "offer", _("Offer or request")
    ORGANIZATION = "organization", _("Organization")
    PERSON = "person", _("Person")


class IndexedItem(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=MatchableKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    owner_id = models.PositiveBigIntegerField(_("owner organization"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    lexical_tokens = models.TextField(_("lexical tokens"), blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("indexed item")
        verbose_name_plural = _("indexed items")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="matching_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Passage(models.Model):
    item = models.ForeignKey(IndexedItem, on_delete=models.CASCADE, related_name="passages")
    ordinal = models.PositiveSmallIntegerField(_("position"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    text = models.TextField(_("text"))
    embedding = models.BinaryField(_("embedding"), null=True)
    vector = VectorField(null=True)

    class Meta:
        ordering = ["item_id", "ordinal"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")

    def __str__(self) -> str:
        return self.text[:80]


class TermVector(models.Model):
    """An index term's meaning, from a readable word for it: what lexical bridging compares
    (matching/bridging.py). Written when items are indexed, cleared with the index."""

    term = models.CharField(_("term"), max_length=200, unique=True)
    word = models.CharField(_("word"), max_length=200)
    vector = models.BinaryField(_("vector"))

    class Meta:
        verbose_name = _("term vector")
        verbose_name_plural = _("term vectors")

    def __str__(self) -> str:
        return self.term


def _new_identity() -> str:
    return uuid.uuid4().hex


class IndexState(models.Model):
    """One row: which embedder built the index, and a counter bumped on every index change.

    Each process's in-process index compares the counter with the one it last saw and catches
    up when another process (a web worker, `parkbridge reindex`) has changed the index. The
    identity tells one database from another (a snapshot in ./var from a deleted database is
    not reused).
    """

    identity = models.CharField(max_length=32, default=_new_identity, editable=False)
    embedder = models.CharField(_("embedder"), max_length=300, blank=True)
    dimension = models.PositiveIntegerField(_("dimension"), default=0)
    generation = models.PositiveBigIntegerField(_("generation"), default=0)
    calibration = models.PositiveIntegerField(_("calibration"), default=0)
    reindex_started_at = models.DateTimeField(null=True, blank=True)
    reindex_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("index state")

    def __str__(self) -> str:
        return f"{self.embedder} #{self.generation}"


class FeedbackVerdict(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class MatchFeedback(TimeStampedModel):
    """A user's verdict on one suggestion: `target` proposed for `source`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_feedback"
    )
    source_kind = models.CharField(max_length=16, choices=MatchableKind.choices)
    source_id = models.PositiveBigIntegerField()
    target_kind = models.CharField(max_length=16, choices=MatchableKind.choices)
    target_id = models.PositiveBigIntegerField()
    verdict = models.CharField(_("verdict"), max_length=16, choices=FeedbackVerdict.choices)

    class Meta:
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_kind", "source_id", "target_kind", "target_id"],
                name="matching_feedback_unique",
            )
        ]
        indexes = [models.Index(fields=["source_kind", "source_id"])]

    def __str__(self) -> str:
        return f"{self.source_kind} {self.source_id} → {self.target_kind} {self.target_id}"


class LanguageCentroid(models.Model):
    """The mean vector of the indexed passages of one language ("" for all languages).

    Multilingual models place texts of one language near each other whatever they say: a
    Russian project comes closer to a Russian text on another subject than to a Chinese one
    on its own. Subtracting each language's mean (Libovický et al., 2020, "On the language
    neutrality of pre-trained multilingual representations") leaves what the texts say.
    """

    language = models.CharField(_("language"), max_length=8, unique=True, blank=True)
    vector = models.BinaryField(_("mean vector"))
    passages = models.PositiveIntegerField(_("passages"))

    class Meta:
        verbose_name = _("language centroid")
        verbose_name_plural = _("language centroids")

    def __str__(self) -> str:
        return self.language or "*"
