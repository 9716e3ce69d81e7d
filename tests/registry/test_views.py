from __future__ import annotations

from parkbridge.core.models import AuditEvent
from parkbridge.registry.models import Organization, Person
from tests.conftest import client_for
from tests.factories import OrganizationFactory


def test_list_search_and_htmx_partial(db):
    OrganizationFactory(
        slug="tsinghua", name="清华大学", name_en="Tsinghua University", country="CN"
    )
    OrganizationFactory(slug="skoltech", name_en="Skoltech", country="RU")
    client = client_for(None)
    full = client.get("/organizations/?q=清华").content.decode()
    assert "<html" in full and "Tsinghua University" in full and "Skoltech" not in full
    partial = client.get("/organizations/?country=RU", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Skoltech" in partial and "Tsinghua" not in partial


def test_pagination_keeps_filters(db):
    for number in range(25):
        OrganizationFactory(slug=f"cn-{number}", name_en=f"Chinese park {number:02d}", country="CN")
    page = client_for(None).get("/organizations/?country=CN").content.decode()
    assert "country=CN&amp;page=2" in page


def test_failed_edit_keeps_what_was_typed_and_changes_nothing(org_admin, organization):
    client = client_for(org_admin)
    response = client.post(
        "/organizations/polytech/edit/",
        {
            "name": "Политех — новое имя",
            "name_language": "ru",
            "name_en": "Polytech renamed",
            "kind": "university",
            "country": "RU",
            "website": "not-a-url",
            "description_language": "ru",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Politech renamed" not in text and "Polytech renamed" in text
    assert "not-a-url" in text and "invalid-feedback" in text
    organization.refresh_from_db()
    assert organization.name_en == "Polytech"


def test_successful_edit_saves_and_audits(org_admin, organization):
    client = client_for(org_admin)
    response = client.post(
        "/organizations/polytech/edit/",
        {
            "name": "Политех",
            "name_language": "ru",
            "name_en": "Polytech",
            "kind": "university",
            "country": "RU",
            "city": "Санкт-Петербург",
            "website": "https://polytech.example",
            "description": "Ведущий технический университет.",
            "description_language": "ru",
            "focus_areas": [],
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.website == "https://polytech.example"
    assert AuditEvent.objects.filter(action="updated", actor=org_admin).exists()


def test_org_admin_adds_branch_through_the_form(org_admin, organization):
    response = client_for(org_admin).post(
        "/organizations/new/",
        {
            "name": "Филиал",
            "name_language": "ru",
            "name_en": "Branch",
            "kind": "technology_park",
            "country": "CN",
            "parent": organization.pk,
            "description_language": "ru",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.get(name_en="Branch").parent == organization


def test_member_management_page_adds_and_removes(org_admin, organization):
    client = client_for(org_admin)
    response = client.post(
        "/organizations/polytech/members/", {"email": "newbie@park.example", "role": "member"}
    )
    assert response.status_code == 302
    page = client.get("/organizations/polytech/members/").content.decode()
    assert "newbie@park.example" in page
    membership = organization.memberships.get(user__email="newbie@park.example")
    client.post(f"/organizations/polytech/members/{membership.pk}/remove/")
    assert not organization.memberships.filter(user__email="newbie@park.example").exists()


def test_person_create_form(org_admin, organization):
    response = client_for(org_admin).post(
        "/people/new/",
        {
            "person-full_name": "Чжан Вэй",
            "person-full_name_latin": "Zhang Wei",
            "person-name_language": "ru",
            "person-expertise_language": "ru",
            "person-languages": ["ru", "zh"],
            "affiliation-organization": organization.pk,
            "affiliation-position": "Инженер",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(full_name_latin="Zhang Wei")
    assert person.languages == ["ru", "zh"]
    assert person.affiliations.get().position == "Инженер"


def test_home_shows_counts_and_activity(staff_user):
    from parkbridge.registry.services import organization_create

    organization_create(
        actor=staff_user,
        name="Новый парк",
        name_language="ru",
        name_en="New Park",
        kind="technology_park",
        country="KZ",
    )
    page = client_for(None).get("/").content.decode()
    assert "New Park" in page
    assert 'data-testid="count-organizations">1<' in page
