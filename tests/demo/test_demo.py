from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from parkbridge.accounts.models import Membership, User
from parkbridge.registry.models import Organization, Person

pytestmark = pytest.mark.slow


def test_demo_loads_the_story_and_is_idempotent(db):
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (Organization.objects.count(), Person.objects.count(), User.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Organization.objects.count(), Person.objects.count(), User.objects.count()) == counts

    assert counts[0] >= 35 and counts[1] >= 62
    assert Organization.objects.values("country").distinct().count() >= 5
    spbpu = Organization.objects.get(slug="spbpu")
    assert Organization.objects.get(slug="spbpu-technopark").parent == spbpu
    assert Organization.objects.get(slug="spbpu-ico").parent == spbpu
    assert Organization.objects.get(slug="tuspark-wuxi").parent.parent.slug == "tsinghua"
    assert Organization.objects.filter(slug="zhongguancun").exists()
    assert (
        Person.objects.get(slug="khizhnyak-vd")
        .affiliations.filter(organization__slug="spbpu-ico")
        .exists()
    )
    assert (
        Person.objects.get(slug="rayak-me")
        .affiliations.filter(organization__slug="spbpu-technopark")
        .exists()
    )
    languages = set(Organization.objects.values_list("description_language", flat=True))
    assert {"ru", "zh", "en"} <= languages
    assert "items embedded" in out.getvalue()

    # Indexed for matchmaking, with language centroids: Russian projects meet Chinese offers.
    from parkbridge.matching.models import IndexedItem, IndexState
    from parkbridge.matching.ranking import MatchSource, matches
    from parkbridge.portfolio.models import Project

    assert IndexedItem.objects.count() >= 300
    assert IndexState.objects.get().calibration >= 1  # language centroids computed
    admin = User.objects.get(email="admin@parkbridge.example")
    russian = Project.objects.filter(language="ru", confidentiality="public")[:10]
    offer_languages = {
        match.obj.language
        for project in russian
        for match in matches(MatchSource.of(project), "offer", viewer=admin, limit=5)
    }
    assert "zh" in offer_languages
    area_names = set(spbpu.focus_areas.values_list("name_en", flat=True))
    assert any("Nano" in name for name in area_names)
    assert any("Nuclear" in name for name in area_names)

    from parkbridge.offers.models import Offer
    from parkbridge.portfolio.models import IPAsset, Project

    assert Project.objects.count() >= 150
    languages = dict(Project.objects.values_list("language").annotate(n=Count("id")))
    assert languages["ru"] >= 40 and languages["zh"] >= 40 and languages["en"] >= 40
    assert set(languages) - {"ru", "zh", "en"}, "at least one more language"
    assert Project.objects.filter(owner__slug="spbpu-technopark", kind="startup").count() >= 5
    assert IPAsset.objects.count() >= 30
    assert Offer.objects.count() >= 60
    assert Offer.objects.values("owner__country").distinct().count() >= 5
    assert Offer.objects.filter(
        owner__slug="tuspark-wuxi", kind="investment", language="zh"
    ).exists()
    assert Offer.objects.filter(owner__slug="zhongguancun", kind="market_access").exists()
    assert Project.objects.filter(confidentiality="restricted", shared_with__isnull=False).exists()

    text = out.getvalue()
    assert "admin@parkbridge.example" in text and "spbpu@parkbridge.example" in text
    assert User.objects.get(email="admin@parkbridge.example").is_staff
    assert (
        Membership.objects.get(user__email="wuxi@parkbridge.example").organization.slug
        == "tuspark-wuxi"
    )

    # The cooperation story of 2026, step by step.
    from parkbridge.agreements.models import Agreement
    from parkbridge.core.permissions import can_view
    from parkbridge.events.models import Event, Meeting
    from parkbridge.news.models import NewsItem
    from parkbridge.pipeline.models import Cooperation, LeadSource

    april = Agreement.objects.get(kind="cooperation", signed_on="2026-04-15")
    assert {party.slug for party in april.parties.all()} == {"spbpu", "tuspark"}
    assert Event.objects.filter(
        kind="delegation_visit", host__slug="tuspark", starts_at__month=4
    ).exists()
    summer = Event.objects.filter(
        kind="delegation_visit", host__slug="spbpu-technopark", starts_at__month__in=[6, 7, 8]
    )
    assert summer.count() == 2
    meeting = Event.objects.get(starts_at__date="2026-09-15")
    assert meeting.visiting_organizations.filter(slug="tuspark-wuxi").exists()
    assert "research focus areas" in meeting.minutes
    directions = [outcome.text for outcome in meeting.outcomes.all()]
    assert len(directions) == 4 and "world market" in directions[0]
    assert meeting.outcomes.exclude(cooperation=None).exists()
    assert meeting.outcomes.exclude(task=None).exists()
    story = NewsItem.objects.get(events=meeting)
    assert {text.language for text in story.translations.all()} >= {"en", "ru"}
    assert story.published_at.month == 11

    stages = set(Cooperation.objects.values_list("stage", flat=True))
    assert len(stages) >= 7
    assert Cooperation.objects.filter(source=LeadSource.MUTUAL_INTEREST).count() == 1
    assert Agreement.objects.values("kind").distinct().count() == 6

    # A signed NDA opens the restricted sodium-ion project to the investor's people only.
    nda = Agreement.objects.get(kind="nda")
    secret = nda.granted_projects.get()
    investor = User.objects.create(email="analyst@lingyun.example")
    Membership.objects.create(
        user=investor, organization=Organization.objects.get(slug="lingyun-capital")
    )
    assert can_view(investor, secret)
    assert not can_view(User.objects.get(email="wuxi@parkbridge.example"), secret)

    brokerage = Event.objects.get(kind="brokerage")
    assert brokerage.participants.count() >= 60
    assert brokerage.slots.count() == 16
    scheduled = Meeting.objects.filter(slot__event=brokerage)
    assert scheduled.count() >= 150 and not scheduled.filter(announced_at=None).exists()
