"""User journeys through a real browser: what a visitor, a member and an organization admin see."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from parkbridge.accounts.models import ApiToken, Membership, User
from parkbridge.registry.models import Affiliation, Organization, Person

# The live server needs committed data, so each test commits and the database is flushed after
# it; the serialized rollback restores what the migrations loaded (the focus-area taxonomy).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Quiet-river-2026"

SignIn = Callable[[Any, str, str], None]


def make_organization(slug: str, **values: Any) -> Organization:
    defaults: dict[str, Any] = {
        "name": values.get("name_en", slug),
        "name_language": "en",
        "kind": "university",
        "country": "RU",
    }
    return Organization.objects.create(slug=slug, **{**defaults, **values})


def make_user(
    email: str, full_name: str, organization: Organization | None = None, role: str = "member"
) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name)
    if organization is not None:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def network() -> dict[str, Organization]:
    """Four organizations in two countries: two technology parks and two universities."""
    return {
        "polytech": make_organization(
            "polytech",
            name="Санкт-Петербургский политехнический университет",
            name_language="ru",
            name_en="St. Petersburg Polytechnic University",
            short_name="SPbPU",
            city="Saint Petersburg",
        ),
        "technopark": make_organization(
            "polytech-technopark",
            name="Технопарк Политеха",
            name_language="ru",
            name_en="Polytech Technology Park",
            kind="technology_park",
            city="Saint Petersburg",
        ),
        "wuxi": make_organization(
            "wuxi-science-park",
            name="无锡清华科技园",
            name_language="zh",
            name_en="Tsinghua Science Park Wuxi",
            kind="technology_park",
            country="CN",
            city="Wuxi",
        ),
        "harbin": make_organization(
            "harbin-tech",
            name="哈尔滨工业大学",
            name_language="zh",
            name_en="Harbin Institute of Technology",
            country="CN",
            city="Harbin",
        ),
    }


def mark_page(page: Any) -> None:
    """Leave a mark in the window that a full page load would wipe out."""
    page.evaluate("window.__stillSamePage = true")


def assert_same_page(page: Any) -> None:
    assert page.evaluate("window.__stillSamePage === true"), "the page was reloaded"


# Pages come styled and scripted ---------------------------------------------------------------


def test_pages_load_their_styles_and_scripts(live_server: Any, page: Any) -> None:
    failed: list[str] = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    # A stylesheet answered with an HTML 404 is aborted (nosniff), not reported as a response.
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(live_server.url, wait_until="networkidle")

    assert [url for url in failed if "/static/" in url] == []
    # Bootstrap's stylesheet lays the navbar out in a row; its script and HTMX are running.
    expect(page.locator("#mainnav")).to_have_css("display", "flex")
    assert page.evaluate("typeof htmx === 'object' && typeof bootstrap === 'object'")


# Signing in and out ---------------------------------------------------------------------------


def test_sign_in_shows_the_user_menu_and_sign_out_ends_the_session(
    live_server: Any, page: Any, network: dict[str, Organization]
) -> None:
    make_user("anna.petrova@polytech.example", "Anna Petrova", network["polytech"])

    page.goto(live_server.url)
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("E-mail").fill("anna.petrova@polytech.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    user_menu = page.locator("#user-menu")
    expect(user_menu).to_have_text(re.compile(r"\bAnna\b"))
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)

    user_menu.click()
    expect(page.get_by_role("link", name="Profile")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator("#user-menu")).to_have_count(0)
    page.goto(f"{live_server.url}/accounts/profile/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_wrong_password_shows_an_error_and_keeps_the_email(
    live_server: Any, page: Any, network: dict[str, Organization]
) -> None:
    make_user("anna.petrova@polytech.example", "Anna Petrova", network["polytech"])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill("anna.petrova@polytech.example")
    page.get_by_label("Password").fill("not-her-password")
    page.locator("main").get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "The e-mail address or the password is not right."
    )
    expect(page.get_by_label("E-mail")).to_have_value("anna.petrova@polytech.example")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.locator("#user-menu")).to_have_count(0)


# Interface language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "language", "organizations"),
    [("Русский", "ru", "Организации"), ("简体中文", "zh-hans", "机构")],
)
def test_language_selector_switches_the_interface(
    live_server: Any,
    page: Any,
    network: dict[str, Organization],
    option: str,
    language: str,
    organizations: str,
) -> None:
    with translation.override(language):
        people = translation.gettext("People")
    assert people != "People", f"no {language} translation of 'People'; run `make messages`"

    page.goto(f"{live_server.url}/organizations/")
    navigation = page.locator("#mainnav")
    expect(navigation.get_by_role("link", name="Organizations", exact=True)).to_be_visible()

    page.locator("#language-select").select_option(label=option)

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page).to_have_url(re.compile(r"/organizations/$"))
    expect(page.locator("#language-select option:checked")).to_have_text(option)
    expect(navigation.get_by_role("link", name=organizations, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(organizations)
    expect(navigation.get_by_role("link", name="Organizations", exact=True)).to_have_count(0)

    # The choice sticks for the next page.
    navigation.get_by_role("link", name=people, exact=True).click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(people)

    page.locator("#language-select").select_option(label="English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")


# Searching the registry -----------------------------------------------------------------------


def test_live_search_and_filters_narrow_the_organization_list(
    live_server: Any, page: Any, network: dict[str, Organization]
) -> None:
    page.goto(f"{live_server.url}/organizations/")
    count = page.get_by_test_id("result-count")
    names = page.locator("#results .organization-name")
    expect(count).to_have_text("4 organizations found")
    mark_page(page)

    # Typing searches as you go, without a page load, and the address follows the search.
    page.get_by_label("Search").press_sequentially("park", delay=30)
    expect(count).to_have_text("2 organizations found")
    expect(names).to_have_text(["Polytech Technology Park", "Tsinghua Science Park Wuxi"])
    expect(page).to_have_url(re.compile(r"[?&]q=park\b"))

    page.get_by_label("Search").press_sequentially("xyz")
    expect(count).to_have_text("0 organizations found")
    expect(page.locator("#results")).to_contain_text("No organization matches")

    page.get_by_label("Search").select_text()
    page.get_by_label("Search").press("Backspace")
    expect(count).to_have_text("4 organizations found")

    page.get_by_label("Kind").select_option(label="Technology park")
    expect(count).to_have_text("2 organizations found")
    page.get_by_label("Country").select_option(label="China")
    expect(count).to_have_text("1 organization found")
    expect(names).to_have_text(["Tsinghua Science Park Wuxi"])
    expect(page).to_have_url(re.compile(r"kind=technology_park.*country=CN"))

    page.get_by_label("Kind").select_option(label="University")
    expect(names).to_have_text(["Harbin Institute of Technology"])
    assert_same_page(page)

    # A filtered address can be shared: opening it shows the same results.
    page.reload()
    expect(names).to_have_text(["Harbin Institute of Technology"])
    expect(page.get_by_label("Kind")).to_have_value("university")

    names.first.click()
    expect(page).to_have_url(re.compile(r"/organizations/harbin-tech/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbin Institute of Technology")
    expect(page.locator("main")).to_contain_text("哈尔滨工业大学")
    expect(page.locator("main")).to_contain_text("Harbin, China")


def test_search_finds_organizations_by_their_russian_name(
    live_server: Any, page: Any, network: dict[str, Organization]
) -> None:
    page.goto(f"{live_server.url}/")
    # Lower case, as people type: SQLite's LIKE folds only ASCII case, so this catches a
    # search that relies on it.
    page.get_by_label("Search organizations").fill("технопарк")
    page.get_by_label("Search organizations").press("Enter")

    expect(page).to_have_url(re.compile(r"/organizations/\?q="))
    expect(page.get_by_test_id("result-count")).to_have_text("1 organization found")
    expect(page.locator("#results .organization-name")).to_have_text(["Polytech Technology Park"])
    expect(page.locator("#results")).to_contain_text("Технопарк Политеха")


# People ---------------------------------------------------------------------------------------


def test_person_contacts_are_shown_to_signed_in_members_only(
    live_server: Any, page: Any, network: dict[str, Organization], sign_in: SignIn
) -> None:
    person = Person.objects.create(
        slug="li-wei",
        full_name="李伟",
        full_name_latin="Li Wei",
        name_language="zh",
        email="li.wei@tuspark.example",
        phone="+86 510 8000 0000",
        messenger="WeChat: liwei-wuxi",
        languages=["zh", "en"],
    )
    Affiliation.objects.create(
        person=person,
        organization=network["wuxi"],
        position="国际合作部主任",
        position_en="Head of international cooperation",
        is_primary=True,
    )
    make_user("anna.petrova@polytech.example", "Anna Petrova", network["polytech"])

    page.goto(f"{live_server.url}/people/li-wei/")
    contacts = page.locator("#contacts")
    expect(page.get_by_role("heading", level=1)).to_have_text("李伟")
    expect(page.locator("main")).to_contain_text("Head of international cooperation")
    expect(contacts).to_contain_text("visible to signed-in members")
    expect(contacts).not_to_contain_text("li.wei@tuspark.example")
    expect(contacts).not_to_contain_text("+86 510")
    assert "li.wei@tuspark.example" not in page.content()

    contacts.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail").fill("anna.petrova@polytech.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    # Back on the person's page, now with the contact details.
    expect(page).to_have_url(re.compile(r"/people/li-wei/$"))
    expect(contacts.get_by_role("link", name="li.wei@tuspark.example")).to_have_attribute(
        "href", "mailto:li.wei@tuspark.example"
    )
    expect(contacts).to_contain_text("+86 510 8000 0000")
    expect(contacts).to_contain_text("WeChat: liwei-wuxi")
    expect(contacts).not_to_contain_text("visible to signed-in members")


# API tokens -----------------------------------------------------------------------------------


def test_api_token_is_shown_once_works_and_can_be_revoked(
    live_server: Any, page: Any, network: dict[str, Organization], sign_in: SignIn
) -> None:
    user = make_user("anna.petrova@polytech.example", "Anna Petrova", network["polytech"])
    sign_in(page, "anna.petrova@polytech.example", PASSWORD)

    page.goto(f"{live_server.url}/accounts/profile/")
    panel = page.locator("#tokens-panel")
    expect(panel).to_contain_text("No tokens yet.")
    mark_page(page)

    panel.get_by_label("Token name").fill("CRM sync script")
    panel.get_by_role("button", name="Create").click()

    secret_box = page.get_by_test_id("new-token")
    expect(secret_box).to_have_text(re.compile(r"^\s*pbk_\S{20,}\s*$"))
    secret = secret_box.inner_text().strip()
    row = panel.get_by_role("row").filter(has_text="CRM sync script")
    expect(row).to_contain_text("active")
    assert_same_page(page)

    me = page.request.get(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert me.status == 200, me.text()
    assert "anna.petrova@polytech.example" in me.text()

    # Shown once: after a reload the token is listed, its secret is not.
    page.reload()
    expect(row).to_contain_text("active")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert secret not in page.content()

    mark_page(page)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("revoked")
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    assert_same_page(page)

    assert ApiToken.objects.get(user=user).revoked_at is not None
    refused = page.request.get(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 401


def test_empty_token_name_is_refused_in_place(
    live_server: Any, page: Any, network: dict[str, Organization], sign_in: SignIn
) -> None:
    make_user("anna.petrova@polytech.example", "Anna Petrova", network["polytech"])
    sign_in(page, "anna.petrova@polytech.example", PASSWORD)

    page.goto(f"{live_server.url}/accounts/profile/")
    panel = page.locator("#tokens-panel")
    panel.get_by_role("button", name="Create").click()

    expect(panel.locator(".invalid-feedback")).to_have_count(1)
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    expect(panel).to_contain_text("No tokens yet.")
    assert not ApiToken.objects.exists()


# Editing an organization ----------------------------------------------------------------------


def test_organization_admin_edits_their_organization(
    live_server: Any, page: Any, network: dict[str, Organization], sign_in: SignIn
) -> None:
    polytech = network["polytech"]
    make_user("admin@polytech.example", "Ivan Sidorov", polytech, role="admin")
    sign_in(page, "admin@polytech.example", PASSWORD)

    page.goto(f"{live_server.url}/organizations/polytech/")
    page.locator("main").get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(r"/organizations/polytech/edit/$"))
    expect(page.get_by_label("Name in English")).to_have_value(
        "St. Petersburg Polytechnic University"
    )

    # A bad website: the form says what is wrong and keeps everything typed.
    page.get_by_label("City").fill("St. Petersburg, Polytechnicheskaya 29")
    page.get_by_label("Website").fill("spbstu dot ru")
    page.get_by_role("button", name="Save").click()

    website = page.get_by_label("Website")
    expect(page.locator(".invalid-feedback")).to_contain_text("Enter a valid URL.")
    expect(website).to_have_value("spbstu dot ru")
    expect(website).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("City")).to_have_value("St. Petersburg, Polytechnicheskaya 29")
    polytech.refresh_from_db()
    assert polytech.website == ""
    assert polytech.city == "Saint Petersburg"

    # A good edit is saved and shown on the organization's page.
    website.fill("https://www.spbstu.ru/")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/organizations/polytech/$"))
    expect(page.get_by_role("alert")).to_contain_text("Changes saved.")
    expect(page.get_by_role("link", name="https://www.spbstu.ru/")).to_be_visible()
    expect(page.locator("main")).to_contain_text("St. Petersburg, Polytechnicheskaya 29")
    polytech.refresh_from_db()
    assert polytech.website == "https://www.spbstu.ru/"
    assert polytech.city == "St. Petersburg, Polytechnicheskaya 29"


def test_members_of_other_organizations_cannot_edit(
    live_server: Any, page: Any, network: dict[str, Organization], sign_in: SignIn
) -> None:
    make_user("admin@wuxi.example", "Zhang Min", network["wuxi"], role="admin")
    sign_in(page, "admin@wuxi.example", PASSWORD)

    page.goto(f"{live_server.url}/organizations/polytech/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "St. Petersburg Polytechnic University"
    )
    expect(page.locator("main").get_by_role("link", name="Edit")).to_have_count(0)

    response = page.goto(f"{live_server.url}/organizations/polytech/edit/")
    assert response is not None and response.status == 403
