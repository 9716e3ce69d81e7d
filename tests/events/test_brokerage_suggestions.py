"""Whom to meet: suggestions from the profiles, across languages, with the bundled model."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from parkbridge.events import brokerage
from parkbridge.matching.embedders import default_embedder
from tests.events.test_brokerage_fixtures import *  # noqa: F403 (fixtures)
from tests.factories import BrokerageParticipantFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

DISTRACTORS = [
    ("en", "We sell accounting software to small banks.", "Banks in Central Asia."),
    ("zh", "我们提供小麦和大麦的基因组育种服务。", "寻找农业合作社。"),
    ("ru", "Организуем экскурсии по Байкалу для туристов.", "Ищем туроператоров в Китае."),
    ("en", "Injection moulding of plastic toys.", "Toy shops in Europe."),
    ("zh", "我们为学校开发在线英语课程。", "寻找中学合作伙伴。"),
]


@pytest.fixture
def crowd(registered: dict[str, Any]) -> dict[str, Any]:
    """The registered four plus five participants on other subjects, in three languages."""
    event = registered["anna"].event
    others = [
        BrokerageParticipantFactory(
            event=event,
            organization=OrganizationFactory(),
            profile_language=language,
            offering=offering,
            seeking=seeking,
        )
        for language, offering, seeking in DISTRACTORS
    ]
    return {**registered, "others": others}


def test_a_russian_seeker_is_shown_the_chinese_investor_first(
    crowd: dict[str, Any], people: dict[str, Any]
) -> None:
    found = brokerage.suggestions_for(viewer=people["anna"], participant=crowd["anna"])
    assert found[0].participant == crowd["li"]
    assert found[0].reason == "offers"
    assert "氢燃料电池" in found[0].their_passage and found[0].their_language == "zh"
    assert "инвестора" in found[0].my_passage and found[0].my_language == "ru"
    assert len(found) <= brokerage.SUGGESTIONS
    # Never oneself, nor a colleague from the same organization (Olga works at Ural Lab too).
    assert {crowd["anna"], crowd["olga"]}.isdisjoint(s.participant for s in found)


def test_a_chinese_seeker_is_shown_the_russian_fuel_cell_team_first(
    crowd: dict[str, Any], people: dict[str, Any]
) -> None:
    found = brokerage.suggestions_for(viewer=people["li"], participant=crowd["li"])
    assert found[0].participant == crowd["anna"]
    assert "водородные" in found[0].their_passage.lower()


def test_people_already_asked_are_not_suggested_again(
    crowd: dict[str, Any], people: dict[str, Any]
) -> None:
    brokerage.meeting_request_send(
        actor=people["anna"], requester=crowd["anna"], invitee=crowd["li"]
    )
    found = brokerage.suggestions_for(viewer=people["anna"], participant=crowd["anna"])
    assert crowd["li"] not in [s.participant for s in found]


def test_suggestions_are_for_the_participant_only(
    crowd: dict[str, Any], people: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        brokerage.suggestions_for(viewer=people["bob"], participant=crowd["anna"])


def test_prepared_profiles_are_not_embedded_again(
    crowd: dict[str, Any], people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert brokerage.suggestions_prepare(event=crowd["anna"].event) == 9
    brokerage._vectors.clear_memory()  # another process: the vectors come from disk

    def refuse(texts: Sequence[str]) -> np.ndarray:
        raise AssertionError(f"embedded again: {texts!r}")

    monkeypatch.setattr(default_embedder(), "embed_items", refuse)
    found = brokerage.suggestions_for(viewer=people["anna"], participant=crowd["anna"])
    assert found[0].participant == crowd["li"]


class CountingEmbedder:
    """Deterministic pseudo-random vectors, counting the texts it is asked to embed."""

    name = "counting-test-embedder"
    dimension = 384
    max_tokens = 128

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def embed_items(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            vector = np.random.default_rng(seed).standard_normal(self.dimension)
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32)


def test_four_hundred_participants_are_embedded_once_and_ranked_fast(
    event: Any, monkeypatch: pytest.MonkeyPatch, member: Any
) -> None:
    embedder = CountingEmbedder()
    monkeypatch.setattr(brokerage, "_embedder", lambda: embedder)
    participants = [
        BrokerageParticipantFactory(
            event=event,
            offering=f"Offer number {number}: sensors of kind {number % 37}.",
            seeking=f"Looking for partner number {number} in field {number % 23}.",
        )
        for number in range(400)
    ]
    started = time.perf_counter()
    first = brokerage.suggestions_for(viewer=member, participant=participants[0])
    assert len(first) == brokerage.SUGGESTIONS
    texts = {p.offering for p in participants} | {p.seeking for p in participants}
    embedded = Counter(embedder.embedded)
    assert all(embedded[text] == 1 for text in texts)  # every profile text, once
    embedder.embedded.clear()
    started = time.perf_counter()
    for participant in participants[1:6]:
        brokerage.suggestions_for(viewer=member, participant=participant)
    per_call = (time.perf_counter() - started) / 5
    assert embedder.embedded == []
    assert per_call < 1.0, f"{per_call:.2f} s per participant"
