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
