"""The text of each matchable item, as matchmaking reads it, and where it comes from.

A project speaks through its title, summary, keywords and what it needs, in its own language
and in every translation people added; an offer through its title, description and channels;
an organization through its names and description; a person through their expertise and
positions. Each text keeps its language: explanations quote passages as they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from parkbridge.core.models import Confidentiality
from parkbridge.matching.models import MatchableKind
from parkbridge.offers.models import Offer
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization, Person


@dataclass
class LanguageText:
    language: str
    text: str


@dataclass
class ItemDocument:
    kind: str
    object_id: int
    owner_id: int | None
    confidentiality: str
    language: str
    texts: list[LanguageText] = field(default_factory=list)


MODEL_OF_KIND: dict[str, type[Model]] = {
    MatchableKind.PROJECT: Project,
    MatchableKind.OFFER: Offer,
    MatchableKind.ORGANIZATION: Organization,
    MatchableKind.PERSON: Person,
}

CONFIDENTIAL_KINDS = {MatchableKind.PROJECT, MatchableKind.OFFER}


def kind_of(instance: Model) -> str | None:
    for kind, model in MODEL_OF_KIND.items():
        if isinstance(instance, model):
            return kind
    return None


def _joined(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _project_document(project: Project) -> ItemDocument:
    keywords = ", ".join(str(keyword) for keyword in project.keywords or [])
    needs = [need.description for need in project.needs.all() if need.description]
    texts = [
        LanguageText(project.language, _joined(project.title, project.summary, keywords, *needs))
    ]
    for translation in project.translations.all():
        texts.append(
            LanguageText(translation.language, _joined(translation.title, translation.summary))
        )
    return ItemDocument(
        MatchableKind.PROJECT,
        project.pk,
        project.owner_id,
        project.confidentiality,
        project.language,
        texts,
    )


def _offer_document(offer: Offer) -> ItemDocument:
    return ItemDocument(
        MatchableKind.OFFER,
        offer.pk,
        offer.owner_id,
        offer.confidentiality,
        offer.language,
        [LanguageText(offer.language, _joined(offer.title, offer.description, offer.channels))],
    )


def _organization_document(organization: Organization) -> ItemDocument:
    names = {organization.name, organization.name_en}
    language = organization.description_language
    return ItemDocument(
        MatchableKind.ORGANIZATION,
        organization.pk,
        organization.pk,
        Confidentiality.PUBLIC,
        language,
        [LanguageText(language, _joined(" / ".join(sorted(names)), organization.description))],
    )


def _person_document(person: Person) -> ItemDocument:
    positions = [
        affiliation.position or affiliation.position_en for affiliation in person.affiliations.all()
    ]
    language = person.expertise_language
    text = _joined(person.expertise, *positions) if person.expertise.strip() else ""
    return ItemDocument(
        MatchableKind.PERSON,
        person.pk,
        None,
        Confidentiality.PUBLIC,
        language,
        [LanguageText(language, text)] if text else [],
    )


BUILDERS: dict[str, Any] = {
    MatchableKind.PROJECT: _project_document,
    MatchableKind.OFFER: _offer_document,
    MatchableKind.ORGANIZATION: _organization_document,
    MatchableKind.PERSON: _person_document,
}

PREFETCH: dict[str, list[str]] = {
    MatchableKind.PROJECT: ["needs", "translations"],
    MatchableKind.OFFER: [],
    MatchableKind.ORGANIZATION: [],
    MatchableKind.PERSON: ["affiliations"],
}


def documents_for(kind: str, object_ids: list[int]) -> dict[int, ItemDocument]:
    """The documents of the items that still exist (a deleted item is simply absent)."""
    model = MODEL_OF_KIND[kind]
    objects = model._default_manager.filter(pk__in=object_ids).prefetch_related(*PREFETCH[kind])
    return {obj.pk: BUILDERS[kind](obj) for obj in objects}


def document_of(instance: Model) -> ItemDocument:
    kind = kind_of(instance)
    if kind is None:
        raise ValueError(f"{type(instance).__name__} is not matchable")
    return BUILDERS[kind](instance)
