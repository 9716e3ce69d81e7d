from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from parkbridge.registry import selectors
from parkbridge.registry.models import FocusArea
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def _slugs(queryset):
    return sorted(item.slug for item in queryset)


def test_organization_search_in_any_script(db):
    OrganizationFactory(
        slug="tsinghua", name="清华大学", name_en="Tsinghua University", country="CN"
    )
    OrganizationFactory(
        slug="spbpu", name="Политехнический университет", name_en="Polytechnic University"
    )
    anonymous = AnonymousUser()
    find = lambda text: _slugs(  # noqa: E731
        selectors.organization_list(
            viewer=anonymous, filters=selectors.OrganizationFilters(query=text)
        )
    )
    assert find("清华") == ["tsinghua"]
    assert find("политехнический") == ["spbpu"]
    assert find("university") == ["spbpu", "tsinghua"]
    assert find("tsinghua university") == ["tsinghua"]


def test_organization_filters_kind_country_focus_area_with_sub_areas(db):
    materials = FocusArea.objects.get(code="2.5")
    engineering_child = FocusArea.objects.filter(parent__code="2").exclude(code="2.5").first()
    a = OrganizationFactory(slug="a", kind="technology_park", country="CN")
    a.focus_areas.add(materials)
    b = OrganizationFactory(slug="b", kind="university", country="CN")
    b.focus_areas.add(engineering_child)
    OrganizationFactory(slug="c", kind="technology_park", country="RU")
    anonymous = AnonymousUser()

    def find(**filters):
        return _slugs(
            selectors.organization_list(
                viewer=anonymous, filters=selectors.OrganizationFilters(**filters)
            )
        )

    assert find(kind="technology_park") == ["a", "c"]
    assert find(country="cn") == ["a", "b"]
    assert find(focus_area="2.5") == ["a"]
    assert find(focus_area="2") == ["a", "b"]  # a major field includes its sub-fields
    assert find(focus_area="does-not-exist") == []


def test_person_filters(db):
    cn = OrganizationFactory(slug="cn-org", country="CN")
    ru = OrganizationFactory(slug="ru-org", country="RU")
    li = PersonFactory(
        slug="li",
        full_name="李伟",
        full_name_latin="Li Wei",
        languages=["zh", "en"],
        expertise="氢能源投资",
    )
    AffiliationFactory(person=li, organization=cn, position="投资总监")
    ivan = PersonFactory(
        slug="ivan", full_name="Иван Петров", full_name_latin="Ivan Petrov", languages=["ru"]
    )
    AffiliationFactory(person=ivan, organization=ru, position="Заведующий лабораторией")
    anonymous = AnonymousUser()

    def find(**filters):
        return _slugs(
            selectors.person_list(viewer=anonymous, filters=selectors.PersonFilters(**filters))
        )

    assert find(query="氢能源") == ["li"]
    assert find(query="лабораторией") == ["ivan"]
    assert find(country="RU") == ["ivan"]
    assert find(organization="cn-org") == ["li"]
    assert find(language="zh") == ["li"]
    assert find(language="en") == ["li"]
    assert find(language="ru") == ["ivan"]


def test_contacts_only_for_network_members(member, loner, staff_user):
    person = PersonFactory(email="secret@contact.example")
    assert selectors.person_contacts(viewer=AnonymousUser(), person=person) is None
    assert selectors.person_contacts(viewer=loner, person=person) is None
    assert (
        selectors.person_contacts(viewer=member, person=person)["email"] == "secret@contact.example"
    )
    assert selectors.person_contacts(viewer=staff_user, person=person) is not None


def test_localized_names_follow_ui_language(db):
    from django.utils import translation

    organization = OrganizationFactory(
        name="Санкт-Петербургский политехнический университет",
        name_language="ru",
        name_en="Polytechnic University",
        name_zh="圣彼得堡理工大学",
    )
    with translation.override("ru"):
        assert organization.display_name.startswith("Санкт")
    with translation.override("zh-hans"):
        assert organization.display_name == "圣彼得堡理工大学"
    with translation.override("en"):
        assert organization.display_name == "Polytechnic University"
    with translation.override("zh-hans"):
        assert FocusArea.objects.get(code="2.10").name == FocusArea.objects.get(code="2.10").name_zh
