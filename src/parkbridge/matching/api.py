"""Matchmaking endpoints: suggestions for a project, offer, organization or person, a
free-text partner search, and feedback on suggestions. Same permissions as the pages."""

from typing import Any, Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from parkbridge.core.api import ApiRequest
from parkbridge.matching import selectors, services
from parkbridge.matching.embedders import IndexMismatch
from parkbridge.matching.ranking import Match, target_kinds_for

router = Router(tags=["matching"])

Kind = Literal["project", "offer", "organization", "person"]


class FactorOut(Schema):
    name: str
    label: str
    value: float = Field(description="0 to 1")
    weight: float
    contribution: float = Field(description="value × weight; the contributions add up to score")
    detail: str


class FocusAreaOut(Schema):
    code: str
    name: str


class PassagesOut(Schema):
    source_text: str
    source_language: str
    target_text: str
    target_language: str
    similarity: float


class LinkOut(Schema):
    slug: str
    title: str
    url: str


class BridgeOut(Schema):
    request_word: str
    match_word: str


class MatchOut(Schema):
    kind: str
    slug: str
    title: str
    url: str
    score: float = Field(description="0 to 1")
    factors: list[FactorOut]
    shared_focus_areas: list[FocusAreaOut]
    passages: PassagesOut | None = Field(description="the passages of both texts that matched best")
    via: list[LinkOut] = Field(description="for organizations: their projects that matched")
    bridged_terms: list[BridgeOut] = Field(
        description="words of the request found in this match's texts in another language"
    )
    verdict: str | None = Field(description="your feedback on this suggestion, if any")


class ErrorOut(Schema):
    detail: str


def _title(obj: Any) -> str:
    for attribute in ("display_title", "display_name", "title"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)
    return str(obj)


def _match_out(match: Match) -> dict[str, Any]:
    return {
        "kind": match.kind,
        "slug": match.obj.slug,
        "title": _title(match.obj),
        "url": match.obj.get_absolute_url(),
        "score": round(match.score, 4),
        "factors": [
            {
                "name": factor.name,
                "label": factor.label,
                "value": round(factor.value, 4),
                "weight": round(factor.weight, 4),
                "contribution": round(factor.contribution, 4),
                "detail": factor.detail,
            }
            for factor in match.factors
        ],
        "shared_focus_areas": [
            {"code": area.code, "name": area.name} for area in match.shared_focus_areas
        ],
        "passages": vars(match.passages) if match.passages else None,
        "via": [
            {"slug": p.slug, "title": p.display_title, "url": p.get_absolute_url()}
            for p in match.via
        ],
        "bridged_terms": [
            {"request_word": request_word, "match_word": match_word}
            for request_word, match_word in match.bridges
        ],
        "verdict": match.verdict,
    }


def _unavailable(error: IndexMismatch) -> Status[dict[str, str]]:
    return Status(503, {"detail": str(error)})


@router.get(
    "/matches/search",
    response={200: list[MatchOut], 503: ErrorOut},
    summary="Find partners, projects, offers or people for a request in any language",
)
def match_search(
    request: ApiRequest,
    q: str = Query(..., min_length=3, description="what you look for, in any language"),
    target: Kind = "organization",
    language: str = Query("", description="the request's language; detected when empty"),
    limit: int = Query(10, ge=1, le=selectors.MAX_LIMIT),
) -> Any:
    try:
        found = selectors.matches_for_text(
            q, target, viewer=request.user, language=language, limit=limit
        )
    except IndexMismatch as error:
        return _unavailable(error)
    return [_match_out(match) for match in found]


@router.get(
    "/matches/{kind}/{slug}",
    response={200: list[MatchOut], 400: ErrorOut, 503: ErrorOut},
    summary="Suggestions for a project, offer, organization or person",
    description="Targets: for a project offer, organization or person; for an offer project or "
    "organization; for an organization project or offer; for a person project.",
)
def match_list(
    request: ApiRequest,
    kind: Kind,
    slug: str,
    target: Kind,
    limit: int = Query(10, ge=1, le=selectors.MAX_LIMIT),
) -> Any:
    source = selectors.matchable_by_slug(kind, slug, viewer=request.user)
    allowed = target_kinds_for(source)
    if target not in allowed:
        return Status(400, {"detail": f"For a {kind}, target is one of: {', '.join(allowed)}."})
    try:
        found = selectors.matches_for_item(source, target, viewer=request.user, limit=limit)
    except IndexMismatch as error:
        return _unavailable(error)
    return [_match_out(match) for match in found]


class FeedbackIn(Schema):
    target_kind: Kind
    target_slug: str
    verdict: Literal["interested", "not_relevant"]


class FeedbackOut(Schema):
    source_kind: str
    source_slug: str
    target_kind: str
    target_slug: str
    verdict: str


@router.put(
    "/matches/{kind}/{slug}/feedback",
    response=FeedbackOut,
    summary="Mark a suggestion interested or not relevant (not relevant ones stop appearing)",
)
def match_feedback_set(request: ApiRequest, kind: Kind, slug: str, payload: FeedbackIn) -> Any:
    source = selectors.matchable_by_slug(kind, slug, viewer=request.user)
    target = selectors.matchable_by_slug(
        payload.target_kind, payload.target_slug, viewer=request.user
    )
    services.feedback_set(actor=request.user, source=source, target=target, verdict=payload.verdict)
    return {
        "source_kind": kind,
        "source_slug": slug,
        "target_kind": payload.target_kind,
        "target_slug": payload.target_slug,
        "verdict": payload.verdict,
    }


@router.delete(
    "/matches/{kind}/{slug}/feedback/{target_kind}/{target_slug}",
    response={204: None},
    summary="Withdraw your feedback on a suggestion",
)
def match_feedback_clear(
    request: ApiRequest, kind: Kind, slug: str, target_kind: Kind, target_slug: str
) -> Any:
    source = selectors.matchable_by_slug(kind, slug, viewer=request.user)
    target = selectors.matchable_by_slug(target_kind, target_slug, viewer=request.user)
    services.feedback_clear(actor=request.user, source=source, target=target)
    return Status(204, None)
