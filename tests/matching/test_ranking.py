"""Ranking end to end with the bundled model: cross-lingual matches, explanations, and the
confidentiality filter inside matching."""

from __future__ import annotations

import pytest

from parkbridge.matching.models import FeedbackVerdict
from parkbridge.matching.ranking import MatchSource, matches
from parkbridge.matching.services import feedback_set
from parkbridge.offers.models import Offer

pytestmark = pytest.mark.django_db


def _slugs(found):
    return [match.obj.slug for match in found]


def test_a_russian_project_finds_the_chinese_offer_and_the_english_company(world, member):
    source = MatchSource.of(world["project"])
    offers = matches(source, "offer", viewer=member)
    assert _slugs(offers)[0] == "hydrogen-investment"
    organizations = matches(source, "organization", viewer=member)
    assert "fuel-cell-works" in _slugs(organizations)[:2]
    assert (
        _slugs(organizations).index("fuel-cell-works") < _slugs(organizations).index("soft-house")
        if "soft-house" in _slugs(organizations)
        else True
    )
    people = matches(source, "person", viewer=member)
    assert _slugs(people)[0] == "fuel-cell-expert"


def test_a_chinese_free_text_request_finds_the_russian_project(world, member):
    found = matches(MatchSource.text("寻找氢燃料电池公交车项目进行投资"), "project", viewer=member)
    assert _slugs(found)[0] == "hydrogen-bus"


def test_each_match_explains_itself(world, member):
    best = matches(MatchSource.of(world["project"]), "offer", viewer=member)[0]
    factors = {factor.name: factor for factor in best.factors}
    assert {"lexical", "dense", "focus_areas", "trl", "ticket", "countries", "partner_kind"} <= set(
        factors
    )
    assert sum(f.contribution for f in best.factors) == pytest.approx(best.score)
    assert sum(f.weight for f in best.factors) == pytest.approx(1.0)
    assert [area.code for area in best.shared_focus_areas] == ["2.7.3"]
    # The passages that matched, each in its own language.
    assert best.passages is not None
    assert best.passages.source_language == "ru" and "Водородные" in best.passages.source_text
    assert best.passages.target_language == "zh" and "氢燃料电池" in best.passages.target_text
    assert 0 < best.passages.similarity <= 1


def test_scores_order_the_results(world, member):
    found = matches(MatchSource.of(world["project"]), "offer", viewer=member)
    scores = [match.score for match in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores), scores


def test_an_organization_is_suggested_through_its_projects(world, member, organization):
    # Offers look for projects and, through them, for the organizations that run them.
    found = matches(MatchSource.of(world["offer"]), "organization", viewer=member)
    polytech = next(match for match in found if match.obj.slug == "polytech")
    assert [project.slug for project in polytech.via] == ["hydrogen-bus"]


@pytest.mark.parametrize("audience", [None, "loner", "outsider", "member"])
def test_restricted_items_are_never_suggested_to_those_who_may_not_see_them(
    world, audience, request
):
    viewer = request.getfixturevalue(audience) if audience else None
    from django.contrib.auth.models import AnonymousUser

    viewer = viewer or AnonymousUser()
    for source in (MatchSource.of(world["project"]), MatchSource.text("hydrogen fuel cell bus")):
        assert "secret-hydrogen" not in _slugs(matches(source, "offer", viewer=viewer, limit=50))


def test_restricted_items_are_suggested_to_staff_and_to_organizations_they_are_shared_with(
    world, staff_user, member, organization
):
    source = MatchSource.of(world["project"])
    assert "secret-hydrogen" in _slugs(matches(source, "offer", viewer=staff_user, limit=50))
    world["secret_offer"].shared_with.add(organization)
    assert "secret-hydrogen" in _slugs(matches(source, "offer", viewer=member, limit=50))


def test_network_items_are_hidden_from_visitors(world, member):
    from django.contrib.auth.models import AnonymousUser

    Offer.objects.filter(slug="hydrogen-investment").update(confidentiality="network")
    from parkbridge.matching.services import items_index

    items_index([("offer", world["offer"].pk)])
    source = MatchSource.of(world["project"])
    assert "hydrogen-investment" not in _slugs(matches(source, "offer", viewer=AnonymousUser()))
    assert "hydrogen-investment" in _slugs(matches(source, "offer", viewer=member))


def test_own_organization_items_are_not_suggested(world, staff_user, organization):
    found = matches(MatchSource.of(world["project"]), "organization", viewer=staff_user, limit=50)
    assert "polytech" not in _slugs(found)


def test_not_relevant_stops_a_suggestion_for_the_whole_team(world, member, org_admin):
    source = MatchSource.of(world["project"])
    feedback_set(
        actor=member,
        source=world["project"],
        target=world["offer"],
        verdict=FeedbackVerdict.NOT_RELEVANT,
    )
    assert "hydrogen-investment" not in _slugs(matches(source, "offer", viewer=member))
    assert "hydrogen-investment" not in _slugs(matches(source, "offer", viewer=org_admin))
    # The verdict is about this pair only: the offer still answers other searches.
    request = MatchSource.text("投资氢燃料电池公交车")
    assert "hydrogen-investment" in _slugs(matches(request, "offer", viewer=member))


def test_interest_is_remembered_and_shown(world, member):
    feedback_set(
        actor=member,
        source=world["project"],
        target=world["offer"],
        verdict=FeedbackVerdict.INTERESTED,
    )
    best = matches(MatchSource.of(world["project"]), "offer", viewer=member)[0]
    assert best.obj.slug == "hydrogen-investment" and best.verdict == "interested"


def test_feedback_on_an_invisible_item_is_refused(world, member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        feedback_set(
            actor=member,
            source=world["project"],
            target=world["secret_offer"],
            verdict=FeedbackVerdict.INTERESTED,
        )


def test_a_russian_request_reaches_english_texts_through_bridged_terms(world, member):
    found = matches(
        MatchSource.text(
            "Ищем производителя водородных топливных элементов и мембран для автобусов"
        ),
        "organization",
        viewer=member,
    )
    best = found[0]
    assert best.obj.slug == "fuel-cell-works"
    # BM25 takes part although no word of the request occurs in the English description...
    lexical = next(factor for factor in best.factors if factor.name == "lexical")
    assert lexical.value > 0 and lexical.weight > 0
    # ...because its terms were paired with the English ones, and the match says which.
    # The pairs are shown in readable forms: a glossary's, or the word a stem came from.
    assert any(word == "топливный" and "fuel" in match for word, match in best.bridges)
    assert any(word == "мембрана" and match.startswith("membrane") for word, match in best.bridges)
    # "водородный" is in no glossary row; its noun "водород" is.
    assert ("водородный", "hydrogen") in best.bridges


def test_the_card_shows_eight_bridged_pairs_and_folds_the_rest(world, member):
    from django.template.loader import render_to_string

    match = matches(
        MatchSource.text("Ищем водородные топливные элементы"), "organization", viewer=member
    )[0]
    match.bridges = [(f"слово{i}", f"word{i}") for i in range(11)]
    html = render_to_string("matching/_match_card.html", {"match": match})
    shown, folded = html.split("match-bridges", 1)[1].split('<details class="d-inline">', 1)
    assert "слово7 → word7" in shown and "слово8" not in shown
    assert "and 3 more" in folded and "слово10 → word10" in folded


def test_bridging_leaves_a_request_in_the_texts_language_alone(world, member):
    found = matches(
        MatchSource.text("hydrogen fuel cell stacks for buses"), "organization", viewer=member
    )
    assert found[0].obj.slug == "fuel-cell-works"
    assert found[0].bridges == []


def test_a_request_with_nothing_to_bridge_never_reads_the_glossary(member, monkeypatch):
    from parkbridge.matching import ranking
    from parkbridge.matching.services import items_index
    from tests.factories import OrganizationFactory

    companies = [
        OrganizationFactory(
            slug=slug,
            name_en=slug,
            description=description,
            description_language="en",
        )
        for slug, description in [
            ("fuel-cell-works", "We manufacture hydrogen fuel cell stacks for buses."),
            ("bio-lab", "Genome editing of wheat and barley for drought tolerance."),
        ]
    ]
    items_index([("organization", company.pk) for company in companies])

    def unread() -> None:
        raise AssertionError("the glossary was read for an English request over English texts")

    monkeypatch.setattr(ranking, "default_glossary", unread)
    found = matches(MatchSource.text("hydrogen fuel cells"), "organization", viewer=member)
    assert _slugs(found)[0] == "fuel-cell-works"
