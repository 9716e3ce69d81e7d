from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parkbridge.core.models import AuditEvent
from parkbridge.registry import services
from parkbridge.registry.models import FocusArea, Organization
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def test_staff_creates_organization_with_generated_slug_and_audit(staff_user):
    organization = services.organization_create(
        actor=staff_user,
        name="Технопарк «Политехнический»",
        name_language="ru",
        name_en="Technopark Polytechnic",
        kind="technology_park",
        country="RU",
        focus_areas=services.focus_areas_by_codes(["2.5"]),
    )
    assert organization.slug == "technopark-polytechnic"
    assert [area.code for area in organization.focus_areas.all()] == ["2.5"]
    event = AuditEvent.objects.get(target_id=str(organization.pk))
    assert event.action == "created" and event.actor == staff_user


def test_slug_is_made_unique(staff_user):
    OrganizationFactory(slug="acme")
    created = services.organization_create(
        actor=staff_user, name="Acme", name_en="Acme", kind="company", country="DE"
    )
    assert created.slug == "acme-2"


def test_plain_member_may_not_create_organization(member):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=member, name="X", name_en="X", kind="company", country="DE"
        )


def test_org_admin_may_add_a_branch_of_own_organization_only(
    org_admin, organization, other_organization
):
    branch = services.organization_create(
        actor=org_admin,
        name="Branch",
        name_en="Branch",
        kind="technology_park",
        country="RU",
        parent=organization,
    )
    assert branch.parent == organization
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=org_admin,
            name="Foreign branch",
            name_en="Foreign branch",
            kind="technology_park",
            country="CN",
            parent=other_organization,
        )


def test_org_admin_edits_own_and_branches_but_not_others(
    org_admin, organization, other_organization
):
    branch = OrganizationFactory(parent=organization)
    services.organization_update(actor=org_admin, organization=branch, city="Wuxi")
    branch.refresh_from_db()
    assert branch.city == "Wuxi"
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=org_admin, organization=other_organization, city="X")


def test_update_records_changes(org_admin, organization):
    services.organization_update(
        actor=org_admin,
        organization=organization,
        city="Moscow",
        focus_areas=services.focus_areas_by_codes(["1.3"]),
    )
    event = AuditEvent.objects.filter(action="updated").latest("id")
    assert event.changes["city"] == ["Saint Petersburg", "Moscow"]
    assert event.changes["focus_areas"] == [[], ["1.3"]]


def test_invalid_values_are_refused_and_nothing_is_saved(staff_user):
    with pytest.raises(ValidationError) as error:
        services.organization_create(
            actor=staff_user,
            name="Bad",
            name_en="Bad",
            kind="spaceship",
            country="XX",
            website="nope",
        )
    assert {"kind", "country", "website"} <= set(error.value.message_dict)
    assert not Organization.objects.filter(name="Bad").exists()


def test_organization_cannot_be_its_own_ancestor(staff_user):
    top = OrganizationFactory()
    child = OrganizationFactory(parent=top)
    with pytest.raises(ValidationError) as error:
        services.organization_update(actor=staff_user, organization=top, parent=child)
    assert "parent" in error.value.message_dict


def test_unknown_focus_area_codes_are_named(db):
    with pytest.raises(ValidationError) as error:
        services.focus_areas_by_codes(["2.5", "9.9"])
    assert "9.9" in str(error.value)


def test_person_create_with_affiliation(org_admin, organization):
    person = services.person_create(
        actor=org_admin,
        full_name="Ли Вэй",
        full_name_latin="Li Wei",
        languages=["zh", "en"],
        affiliations=[{"organization": organization, "position": "Engineer", "is_primary": True}],
    )
    assert person.slug == "li-wei"
    assert person.affiliations.get().organization == organization


def test_person_create_refuses_foreign_affiliation_and_rolls_back(org_admin, other_organization):
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=org_admin,
            full_name="Someone",
            full_name_latin="Someone",
            affiliations=[{"organization": other_organization}],
        )
    from parkbridge.registry.models import Person

    assert not Person.objects.filter(full_name="Someone").exists()


def test_person_languages_must_be_codes(staff_user):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=staff_user, full_name="A", full_name_latin="A", languages=["English!"]
        )
    assert "languages" in error.value.message_dict


def test_person_edit_rights(org_admin, organization, other_organization, outsider):
    colleague = AffiliationFactory(organization=organization).person
    stranger = AffiliationFactory(organization=other_organization).person
    services.person_update(actor=org_admin, person=colleague, expertise="Lasers")
    with pytest.raises(PermissionDenied):
        services.person_update(actor=org_admin, person=stranger, expertise="X")
    with pytest.raises(PermissionDenied):
        services.person_update(actor=outsider, person=colleague, expertise="X")


def test_person_may_edit_own_card(loner):
    person = PersonFactory(user=loner)
    services.person_update(actor=loner, person=person, phone="+86 10 0000 0000")
    person.refresh_from_db()
    assert person.phone == "+86 10 0000 0000"


def test_affiliation_set_keeps_one_primary(staff_user, organization, other_organization):
    person = PersonFactory()
    services.affiliation_set(
        actor=staff_user, person=person, organization=organization, is_primary=True
    )
    services.affiliation_set(
        actor=staff_user, person=person, organization=other_organization, is_primary=True
    )
    primaries = list(person.affiliations.filter(is_primary=True))
    assert [a.organization for a in primaries] == [other_organization]


def test_fos_taxonomy_is_loaded_in_three_languages(db):
    top = FocusArea.objects.filter(level=1)
    assert top.count() == 6
    assert FocusArea.objects.filter(level=2).count() == 42
    assert FocusArea.objects.filter(level=3).exists()
    assert not FocusArea.objects.filter(name_ru="").exists()
    assert not FocusArea.objects.filter(name_zh="").exists()
    nano = FocusArea.objects.get(code="2.10")
    assert nano.parent.code == "2" and "Nano" in nano.name_en
