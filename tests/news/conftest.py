"""Fixtures of the news tests: events and agreements to link, built with the ORM directly
(their apps' own factories and services are not a dependency of news)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from parkbridge.agreements.models import Agreement
from parkbridge.events.models import Event

TEXTS_EN_RU = [
    {
        "language": "en",
        "title": "Polytech and Far Park sign a memorandum",
        "lead": "Two parks agree to exchange residents.",
        "body": "The parks met on 15 September.\n\nThey agreed on a joint <b>accelerator</b>.",
    },
    {
        "language": "ru",
        "title": "Политех и Дальний парк подписали меморандум",
        "lead": "Два парка договорились обмениваться резидентами.",
        "body": "Встреча прошла 15 сентября.\n\nПарки договорились о совместном акселераторе.",
    },
]


def make_event(host: Any, *, slug: str, confidentiality: str = "public", **values: Any) -> Event:
    starts = timezone.now() - datetime.timedelta(days=3)
    return Event.objects.create(
        slug=slug,
        kind="meeting",
        title=values.pop("title", f"Meeting {slug}"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        host=host,
        confidentiality=confidentiality,
        **values,
    )


def make_agreement(
    owner: Any, *, title: str, confidentiality: str = "restricted", parties: Any = ()
) -> Agreement:
    agreement = Agreement.objects.create(
        kind="memorandum", title=title, owner=owner, confidentiality=confidentiality
    )
    agreement.parties.set([owner, *parties])
    return agreement


@pytest.fixture
def public_event(organization: Any) -> Event:
    return make_event(organization, slug="september-meeting", title="Meeting of 15 September")


@pytest.fixture
def secret_agreement(organization: Any) -> Agreement:
    """Restricted: only Polytech (the owner and only party) sees it."""
    return make_agreement(organization, title="Confidential memorandum")


@pytest.fixture
def public_agreement(organization: Any, other_organization: Any) -> Agreement:
    return make_agreement(
        organization,
        title="Public memorandum",
        confidentiality="public",
        parties=[other_organization],
    )
