from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parkbridge.core.models import AuditEvent
from parkbridge.portfolio import services
from parkbridge.portfolio.models import Project
from tests.factories import OrganizationFactory, PersonFactory


def _project(actor, owner, **values):
    defaults = {
        "kind": "startup",
        "title": "Водородные топливные элементы для дронов",
        "summary": "Стартап разрабатывает лёгкие топливные элементы для беспилотников.",
    }
    return services.project_create(actor=actor, owner=owner, **{**defaults, **values})


def test_member_creates_project_with_detected_language_and_needs(member, organization):
    project = _project(
        member,
        organization,
        needs=[
            {"kind": "investment", "amount_min": 500000, "amount_max": 2000000, "currency": "USD"},
            {"kind": "market_access", "countries": ["CN", "KZ"], "description": "Дистрибьюторы"},
        ],
        keywords=["водород", "дроны"],
    )
    assert project.language == "ru"
    assert project.slug
    assert {need.kind for need in project.needs.all()} == {"investment", "market_access"}
    assert "дистрибьюторы" in project.search_text
    assert AuditEvent.objects.filter(action="created", target_id=str(project.pk)).exists()


def test_language_given_by_the_author_wins(member, organization):
    project = _project(member, organization, language="kk")
    assert project.language == "kk"


def test_outsider_and_loner_may_not_add_to_another_portfolio(outsider, loner, organization):
    for actor in (outsider, loner):
        with pytest.raises(PermissionDenied):
            _project(actor, organization)


@pytest.mark.parametrize(
    ("need", "field"),
    [
        ({"kind": "investment", "currency": "USD"}, "needs"),
        ({"kind": "investment", "amount_min": 5, "amount_max": 1, "currency": "USD"}, "needs"),
        ({"kind": "investment", "amount_min": 5}, "needs"),
        ({"kind": "market_access"}, "needs"),
    ],
)
def test_invalid_needs_are_refused_and_nothing_is_saved(member, organization, need, field):
    with pytest.raises(ValidationError) as error:
        _project(member, organization, needs=[need])
    assert field in error.value.message_dict
    assert not Project.objects.exists()


def test_duplicate_need_is_refused(member, organization):
    with pytest.raises(ValidationError):
        _project(member, organization, needs=[{"kind": "mentoring"}, {"kind": "mentoring"}])


def test_startup_fields_only_for_startups(member, organization):
    with pytest.raises(ValidationError):
        _project(member, organization, kind="research", team_size=5)
    startup = _project(member, organization, kind="startup", team_size=5, legal_form="ООО")
    assert startup.team_size == 5


def test_trl_is_one_to_nine(member, organization):
    with pytest.raises(ValidationError) as error:
        _project(member, organization, trl=10)
    assert "trl" in error.value.message_dict


def test_sharing_needs_restricted_and_excludes_owner(member, organization, other_organization):
    with pytest.raises(ValidationError):
        _project(member, organization, confidentiality="public", shared_with=[other_organization])
    with pytest.raises(ValidationError):
        _project(member, organization, confidentiality="restricted", shared_with=[organization])
    project = _project(
        member, organization, confidentiality="restricted", shared_with=[other_organization]
    )
    services.project_update(actor=member, project=project, confidentiality="network")
    assert list(project.shared_with.all()) == []


def test_update_and_delete_rights(member, org_admin, outsider, organization):
    project = _project(member, organization)
    with pytest.raises(PermissionDenied):
        services.project_update(actor=outsider, project=project, title="Hijacked")
    services.project_update(actor=member, project=project, stage="pilot", trl=6)
    project.refresh_from_db()
    assert (project.stage, project.trl) == ("pilot", 6)
    with pytest.raises(PermissionDenied):
        services.project_delete(actor=member, project=project)
    services.project_delete(actor=org_admin, project=project)
    assert not Project.objects.exists()


def test_participants_team_and_translations(member, organization, other_organization):
    person = PersonFactory()
    project = _project(
        member,
        organization,
        participants=[{"organization": other_organization, "role": "investor"}],
        team=[{"person": person, "role": "CTO"}],
        translations=[
            {
                "language": "en",
                "title": "Hydrogen fuel cells for drones",
                "summary": "Light cells.",
            },
            {"language": "zh", "title": "无人机氢燃料电池", "summary": "轻型燃料电池。"},
        ],
    )
    assert project.participants.get().role == "investor"
    assert project.team.get().person == person
    assert project.translation_for("zh").title == "无人机氢燃料电池"
    assert project.translation_for("ru") is None
    assert "hydrogen" in project.search_text
    with pytest.raises(ValidationError):
        services.project_update(
            actor=member,
            project=project,
            participants=[{"organization": organization, "role": "investor"}],
        )
    with pytest.raises(ValidationError):
        services.project_update(
            actor=member,
            project=project,
            translations=[{"language": "ru", "title": "x", "summary": "y"}],
        )


def test_unchanged_update_leaves_no_audit_event(member, organization):
    project = _project(member, organization, needs=[{"kind": "mentoring"}])
    before = AuditEvent.objects.count()
    services.project_update(
        actor=member, project=project, title=project.title, needs=[{"kind": "mentoring"}]
    )
    assert AuditEvent.objects.count() == before


def test_ip_asset_rules(member, organization, outsider):
    project = _project(member, organization)
    asset = services.ip_asset_create(
        actor=member,
        owner=organization,
        kind="patent",
        title="Способ получения покрытия",
        number="RU 2 812 345 C1",
        jurisdiction="RU",
        status="granted",
        projects=[project],
    )
    assert list(asset.projects.all()) == [project]
    with pytest.raises(ValidationError):
        services.ip_asset_create(
            actor=member, owner=organization, kind="patent", title="No jurisdiction", status="filed"
        )
    with pytest.raises(ValidationError):
        services.ip_asset_create(
            actor=member,
            owner=organization,
            kind="patent_application",
            title="Granted application",
            jurisdiction="CN",
            status="granted",
        )
    import datetime

    with pytest.raises(ValidationError):
        services.ip_asset_create(
            actor=member,
            owner=organization,
            kind="patent",
            title="Time travel",
            jurisdiction="EP",
            status="granted",
            filing_date=datetime.date(2024, 5, 1),
            grant_date=datetime.date(2023, 1, 1),
        )
    foreign = OrganizationFactory()
    with pytest.raises(PermissionDenied):
        services.ip_asset_create(
            actor=outsider, owner=foreign, kind="know_how", title="x", status="filed"
        )
