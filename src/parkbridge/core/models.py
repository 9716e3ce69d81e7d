"""Shared building blocks: timestamps and the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_reference(verbose_name: Any, *, related_name: str = "+") -> Any:
    """A link to the user who did something (created, uploaded, ran it): optional, and kept
    as empty when the account is deleted so that the record itself stays."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class WordSearchable(models.Model):
    """Keeps `search_text`: the lower-cased texts that word search looks in.

    SQLite's LIKE folds case only for ASCII letters, so searching Cyrillic or mixed-case text
    compares lower-cased words with this column instead; PostgreSQL gives the same result.
    """

    search_text = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def search_parts(self) -> list[str]:
        raise NotImplementedError

    def build_search_text(self) -> str:
        return "\n".join(part for part in self.search_parts() if part).lower()


class AuditAction(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    DELETED = "deleted", _("deleted")
    JOINED = "joined", _("joined")
    LEFT = "left", _("left")


class AuditEvent(models.Model):
    """One change made by someone, kept for the activity feed and for accountability."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"


class Confidentiality(models.TextChoices):
    """Who may see a project, an offer or an IP asset."""

    PUBLIC = "public", _("Public: anyone, also signed-out visitors")
    NETWORK = "network", _("Network: signed-in members of any organization")
    RESTRICTED = "restricted", _("Restricted: the owner and the organizations it names")
