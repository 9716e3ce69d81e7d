"""A small multilingual world for matchmaking tests, indexed with the real bundled model."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest

from parkbridge.matching.services import items_index
from parkbridge.offers.services import offer_create
from parkbridge.portfolio.services import project_create
from parkbridge.registry.models import FocusArea
from tests.factories import OrganizationFactory, PersonFactory

HYDROGEN_PROJECT_RU = (
    "Водородные топливные элементы для городских автобусов",
    "Разрабатываем протонообменные мембранные топливные элементы на водороде для городских "
    "автобусов, работающие при морозе до минус сорока градусов. Ищем инвестора и выход на "
    "рынок Китая.",
)
HYDROGEN_OFFER_ZH = (
    "投资氢燃料电池和氢能交通初创企业",
    "我们的基金投资氢燃料电池、电解水制氢和氢能公交车项目，单笔投资五十万至两百万元人民币，"
    "并帮助团队进入中国市场。",
)


def _energy() -> FocusArea:
    return FocusArea.objects.get(code="2.7.3")


def _ensure_taxonomy() -> None:
    """The browser tests flush the database between tests, taxonomy included."""
    if not FocusArea.objects.filter(code="2.7.3").exists():
        from django.apps import apps

        migration = importlib.import_module("parkbridge.registry.migrations.0002_load_fos2007")
        migration.load_taxonomy(apps, None)


@pytest.fixture
def world(organization, other_organization, staff_user) -> dict[str, Any]:
    """A Russian hydrogen project, a Chinese hydrogen investor's offer and an English hydrogen
    company among distractors in three languages; everything indexed."""
    _ensure_taxonomy()
    energy = _energy()
    biology = FocusArea.objects.get(code="3.1")
    investor = OrganizationFactory(
        slug="hydrogen-fund", name_en="Hydrogen Fund", kind="investor", country="CN"
    )
    third = OrganizationFactory(slug="third-party", name_en="Third Party", country="DE")
    english_company = OrganizationFactory(
        slug="fuel-cell-works",
        name="Fuel Cell Works",
        name_en="Fuel Cell Works",
        kind="company",
        country="GB",
        description="We manufacture hydrogen fuel cell stacks and membranes for buses and "
        "trucks, and test them in cold climates.",
        description_language="en",
    )
    distractor_organizations = [
        OrganizationFactory(
            slug="bio-lab",
            name_en="Bio Lab",
            kind="research_institute",
            description="Genome editing of wheat and barley for drought tolerance.",
            description_language="en",
        ),
        OrganizationFactory(
            slug="soft-house",
            name="软件之家",
            name_en="Soft House",
            name_language="zh",
            kind="company",
            country="CN",
            description="我们为银行开发移动支付软件和客户关系管理系统。",
            description_language="zh",
        ),
    ]
    project = project_create(
        actor=staff_user,
        owner=organization,
        kind="startup",
        title=HYDROGEN_PROJECT_RU[0],
        summary=HYDROGEN_PROJECT_RU[1],
        language="ru",
        confidentiality="public",
        trl=5,
        stage="prototype",
        focus_areas=[energy],
        needs=[
            {
                "kind": "investment",
                "amount_min": Decimal(1_000_000),
                "amount_max": Decimal(1_500_000),
                "currency": "CNY",
            },
            {"kind": "market_access", "countries": ["CN"]},
        ],
        slug="hydrogen-bus",
    )
    offer = offer_create(
        actor=staff_user,
        owner=investor,
        kind="investment",
        title=HYDROGEN_OFFER_ZH[0],
        description=HYDROGEN_OFFER_ZH[1],
        language="zh",
        confidentiality="public",
        ticket_min=Decimal(500_000),
        ticket_max=Decimal(2_000_000),
        currency="CNY",
        trl_min=4,
        trl_max=7,
        countries=["CN"],
        focus_areas=[energy],
        slug="hydrogen-investment",
    )
    distractor_offers = [
        offer_create(
            actor=staff_user,
            owner=other_organization,
            kind="mentoring",
            title="农业基因组学导师计划",
            description="为小麦和大麦育种初创企业提供基因组学和田间试验方面的辅导。",
            language="zh",
            confidentiality="public",
            focus_areas=[biology],
            slug="genomics-mentoring",
        ),
        offer_create(
            actor=staff_user,
            owner=third,
            kind="market_access",
            title="Market access for banking software in Germany",
            description="We bring mobile payment and CRM software to German savings banks.",
            language="en",
            confidentiality="public",
            countries=["DE"],
            slug="banking-software-market",
        ),
        offer_create(
            actor=staff_user,
            owner=third,
            kind="facility_access",
            title="Доступ к секвенаторам нового поколения",
            description="Предоставляем время на секвенаторах для геномики растений и животных.",
            language="ru",
            confidentiality="public",
            slug="sequencer-access",
        ),
    ]
    secret_offer = offer_create(
        actor=staff_user,
        owner=third,
        kind="investment",
        title="Confidential hydrogen fuel cell bus investment",
        description="Our fund invests in hydrogen fuel cell buses and electrolysers in China.",
        language="en",
        confidentiality="restricted",
        ticket_min=Decimal(1_000_000),
        currency="CNY",
        slug="secret-hydrogen",
    )
    expert = PersonFactory(
        slug="fuel-cell-expert",
        expertise="Proton exchange membrane fuel cells, hydrogen storage, cold start of fuel "
        "cell buses.",
        expertise_language="en",
    )
    PersonFactory(
        slug="poet",
        expertise="Classical Chinese poetry and calligraphy.",
        expertise_language="en",
    )
    items_index(
        [("project", project.pk), ("offer", offer.pk), ("offer", secret_offer.pk)]
        + [("offer", o.pk) for o in distractor_offers]
        + [("organization", o.pk) for o in [english_company, investor, third, organization]]
        + [("organization", o.pk) for o in [*distractor_organizations, other_organization]]
        + [("person", p.pk) for p in type(expert).objects.all()]
    )
    return {
        "project": project,
        "offer": offer,
        "secret_offer": secret_offer,
        "english_company": english_company,
        "investor": investor,
        "third": third,
        "expert": expert,
    }
