"""Browser journeys through the portfolio and the offers: finding, adding and importing projects,
finding offers, and a member's own organization page."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from parkbridge.accounts.models import MembershipRole
from parkbridge.offers.models import Offer
from parkbridge.offers.services import offer_create
from parkbridge.portfolio.models import Project
from parkbridge.portfolio.services import project_create
from parkbridge.registry.models import Organization
from tests.factories import (
    TEST_PASSWORD,
    AffiliationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

# The live server needs committed data, so each test commits and the database is flushed after
# it; the serialized rollback restores what the migrations loaded (the focus-area taxonomy).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SignIn = Callable[[Any, str, str], None]

MEMBER_EMAIL = "anna.petrova@polytech.example"


@pytest.fixture
def network() -> dict[str, Any]:
    """A Russian university with its technology park, a Chinese park and a Kazakh hub."""
    polytech = OrganizationFactory(
        slug="polytech",
        name="Санкт-Петербургский политехнический университет",
        name_language="ru",
        name_en="St. Petersburg Polytechnic University",
        country="RU",
    )
    return {
        "polytech": polytech,
        "technopark": OrganizationFactory(
            slug="polytech-technopark",
            name="Технопарк Политеха",
            name_language="ru",
            name_en="Polytech Technology Park",
            kind="technology_park",
            country="RU",
            parent=polytech,
        ),
        "wuxi": OrganizationFactory(
            slug="wuxi-science-park",
            name="无锡清华科技园",
            name_language="zh",
            name_en="Tsinghua Science Park Wuxi",
            kind="technology_park",
            country="CN",
            city="Wuxi",
        ),
        "astana": OrganizationFactory(
            slug="astana-hub",
            name="Astana Hub",
            name_en="Astana Hub",
            kind="technology_park",
            country="KZ",
            city="Astana",
        ),
    }


@pytest.fixture
def staff() -> Any:
    """Platform staff: creates the data of the tests, for any organization."""
    return UserFactory(email="staff@parkbridge.example", is_staff=True)


@pytest.fixture
def member(network: dict[str, Organization]) -> Any:
    """A member (not an admin) of the polytechnic university."""
    user = UserFactory(email=MEMBER_EMAIL, full_name="Anna Petrova")
    MembershipFactory(user=user, organization=network["polytech"], role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def projects(network: dict[str, Organization], staff: Any) -> dict[str, Project]:
    """Four projects in three languages; the last one restricted to its owner."""
    return {
        "hydrogen": project_create(
            actor=staff,
            owner=network["technopark"],
            kind="startup",
            title="Hydroflex: hydrogen fuel cells for drones",
            summary="Light PEM fuel cell stacks that keep a drone in the air for three hours.",
            language="en",
            confidentiality="public",
            trl=6,
            stage="pilot",
            needs=[
                {
                    "kind": "investment",
                    "amount_min": Decimal(100000),
                    "amount_max": Decimal(500000),
                    "currency": "USD",
                }
            ],
        ),
        "cladding": project_create(
            actor=staff,
            owner=network["polytech"],
            kind="technology",
            title="Лазерная наплавка изношенных деталей",
            summary="Технология восстановления валов и штампов лазерной наплавкой порошков.",
            language="ru",
            confidentiality="public",
            trl=4,
            stage="prototype",
            needs=[{"kind": "licensee", "description": "Лицензиат в Китае"}],
        ),
        "storage": project_create(
            actor=staff,
            owner=network["wuxi"],
            kind="startup",
            title="固态储氢系统",
            summary="用于叉车和通信基站备用电源的低压固态储氢罐。",
            language="zh",
            confidentiality="public",
            trl=7,
            stage="pilot",
            needs=[{"kind": "market_access", "countries": ["RU", "KZ"]}],
        ),
        "sodium": project_create(
            actor=staff,
            owner=network["polytech"],
            kind="research",
            title="Sodium-ion cells for grid storage",
            summary="Hard-carbon anodes from peat for cheap stationary batteries.",
            language="en",
            confidentiality="restricted",
            trl=3,
        ),
    }


def mark_page(page: Any) -> None:
    """Leave a mark in the window that a full page load would wipe out."""
    page.evaluate("window.__stillSamePage = true")


def assert_same_page(page: Any) -> None:
    assert page.evaluate("window.__stillSamePage === true"), "the page was reloaded"


def csv_file(rows: list[list[str]]) -> dict[str, Any]:
    """An upload for `set_input_files`: a UTF-8 CSV whose first row names the columns."""
    lines = [",".join(f'"{cell}"' for cell in row) for row in rows]
    return {"name": "projects.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}


# Finding projects -----------------------------------------------------------------------------


def test_live_search_and_filters_narrow_the_project_list(
    live_server: Any, page: Any, projects: dict[str, Project]
) -> None:
    page.goto(f"{live_server.url}/projects/")
    count = page.get_by_test_id("result-count")
    titles = page.locator("#results .project-title")
    # The restricted project is not there for a visitor; the newest project comes first.
    expect(count).to_have_text("3 projects found")
    expect(titles).to_have_count(3)
    expect(titles).to_contain_text(
        ["固态储氢系统", "Лазерная наплавка изношенных деталей", "Hydroflex"]
    )
    filters = page.locator("#project-filters")
    mark_page(page)

    # Typing searches as you go, in summaries too ("hours" is not in any title); the address
    # follows.
    filters.get_by_label("Search").press_sequentially("hours", delay=30)
    expect(count).to_have_text("1 project found")
    expect(titles).to_contain_text(["Hydroflex: hydrogen fuel cells for drones"])
    expect(page).to_have_url(re.compile(r"[?&]q=hours\b"))
    filters.get_by_label("Search").select_text()
    filters.get_by_label("Search").press("Backspace")
    expect(count).to_have_text("3 projects found")

    filters.get_by_label("Kind").select_option(label="Startup company")
    expect(count).to_have_text("2 projects found")
    filters.get_by_label("TRL from").select_option("5")
    filters.get_by_label("TRL to").select_option("6")
    expect(count).to_have_text("1 project found")
    expect(titles).to_contain_text(["Hydroflex"])
    expect(page).to_have_url(re.compile(r"kind=startup.*trl_min=5.*trl_max=6"))

    filters.get_by_label("TRL to").select_option("9")
    expect(count).to_have_text("2 projects found")
    filters.get_by_label("Seeks").select_option(label="Market access")
    expect(count).to_have_text("1 project found")
    expect(titles).to_contain_text(["固态储氢系统"])
    filters.get_by_label("Language").select_option(label="Russian")
    expect(count).to_have_text("0 projects found")
    expect(page.locator("#results")).to_contain_text("No project matches")

    filters.get_by_label("Kind").select_option(label="Any kind")
    filters.get_by_label("Seeks").select_option(label="Anything")
    filters.get_by_label("TRL from").select_option(value="")
    expect(count).to_have_text("1 project found")
    expect(titles).to_contain_text(["Лазерная наплавка изношенных деталей"])
    assert_same_page(page)

    # A filtered address can be shared: opening it shows the same results.
    page.reload()
    expect(titles).to_have_count(1)
    expect(filters.get_by_label("Language")).to_have_value("ru")

    filters.get_by_label("Language").select_option(label="Any language")
    filters.get_by_label("Seeks").select_option(label="Investment")
    # Wait for the result itself: the count alone reads "1 project found" before the swap too.
    expect(titles).to_contain_text(["Hydroflex"])
    expect(count).to_have_text("1 project found")
    titles.first.click()
    expect(page).to_have_url(re.compile(r"/projects/hydroflex-hydrogen-fuel-cells-for-drones/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hydroflex: hydrogen fuel cells for drones"
    )
    main = page.locator("main")
    expect(main).to_contain_text("Investment · 100 000 – 500 000 USD")
    expect(main).to_contain_text("Polytech Technology Park")
    expect(main).to_contain_text("TRL 6 – technology demonstrated in relevant environment")


def test_restricted_project_is_hidden_from_visitors_and_shown_to_its_owner(
    live_server: Any, page: Any, projects: dict[str, Project], member: Any, sign_in: SignIn
) -> None:
    restricted = projects["sodium"]
    url = f"{live_server.url}{restricted.get_absolute_url()}"

    page.goto(f"{live_server.url}/projects/?q=sodium")
    expect(page.get_by_test_id("result-count")).to_have_text("0 projects found")
    response = page.goto(url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Sodium-ion")

    sign_in(page, MEMBER_EMAIL, TEST_PASSWORD)
    page.goto(f"{live_server.url}/projects/")
    expect(page.get_by_test_id("result-count")).to_have_text("4 projects found")
    row = page.locator("#results a").filter(has_text="Sodium-ion cells for grid storage")
    expect(row).to_contain_text("restricted")
    row.click()
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sodium-ion cells for grid storage")
    expect(page.get_by_test_id("confidentiality")).to_contain_text("Restricted")


# Adding a project -----------------------------------------------------------------------------


def test_member_adds_a_project_with_an_investment_need(
    live_server: Any, page: Any, network: dict[str, Organization], member: Any, sign_in: SignIn
) -> None:
    sign_in(page, MEMBER_EMAIL, TEST_PASSWORD)
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name="Add project").click()
    expect(page).to_have_url(re.compile(r"/projects/new/$"))

    project_fields = page.locator("form .col-lg-7")
    project_fields.get_by_label("Kind").select_option(label="Startup company")
    project_fields.get_by_label("Owner organization").select_option(
        label="St. Petersburg Polytechnic University"
    )
    project_fields.get_by_label("Title").fill("Peat-based hard carbon anodes")
    project_fields.get_by_label("Summary").fill(
        "Anodes for sodium-ion batteries made from peat, at a third of the cost of graphite."
    )
    project_fields.get_by_label("Language").select_option(label="English")
    project_fields.get_by_label("Technology readiness level").select_option("4")
    need = page.locator(".needs-row").first
    need.get_by_label("Need").select_option(label="Investment")
    need.get_by_label("Amount from").fill("100000")
    need.get_by_label("Amount to").fill("500000")
    # No currency: an investment need without one is refused.
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Investment: Give the currency of the amount."
    )
    expect(page).to_have_url(re.compile(r"/projects/new/$"))
    expect(project_fields.get_by_label("Title")).to_have_value("Peat-based hard carbon anodes")
    expect(project_fields.get_by_label("Summary")).to_have_value(
        re.compile(r"^Anodes for sodium-ion batteries")
    )
    expect(project_fields.get_by_label("Kind")).to_have_value("startup")
    expect(project_fields.get_by_label("Technology readiness level")).to_have_value("4")
    expect(need.get_by_label("Need")).to_have_value("investment")
    expect(need.get_by_label("Amount from")).to_have_value("100000")
    expect(need.get_by_label("Amount to")).to_have_value("500000")
    assert not Project.objects.exists()

    need.get_by_label("Currency").select_option("USD")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/projects/peat-based-hard-carbon-anodes/$"))
    expect(page.get_by_role("alert")).to_contain_text("Project saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peat-based hard carbon anodes")
    expect(page.locator("main")).to_contain_text("Investment · 100 000 – 500 000 USD")
    project = Project.objects.get()
    assert project.owner == network["polytech"]
    assert project.created_by == member
    assert list(project.needs.values_list("kind", "amount_min", "amount_max", "currency")) == [
        ("investment", Decimal(100000), Decimal(500000), "USD")
    ]


# Importing projects ---------------------------------------------------------------------------


IMPORT_HEADER = [
    "kind",
    "title",
    "summary",
    "language",
    "owner",
    "trl",
    "needs",
    "investment_min",
    "investment_max",
    "investment_currency",
]


def test_import_shows_row_errors_then_imports_a_good_file(
    live_server: Any, page: Any, network: dict[str, Organization], member: Any, sign_in: SignIn
) -> None:
    sign_in(page, MEMBER_EMAIL, TEST_PASSWORD)
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name="Import").click()
    expect(page).to_have_url(re.compile(r"/projects/import/$"))

    good_row = [
        "startup",
        "Thermal imaging for substations",
        "Cameras and software that find overheating contacts before they fail.",
        "en",
        "polytech",
        "6",
        "investment",
        "200000",
        "400000",
        "EUR",
    ]
    bad_row = [
        "research",
        "Ice-resistant coatings",
        "Coatings that keep ice off wind turbine blades.",
        "en",
        "no-such-park",
        "3",
        "",
        "",
        "",
        "",
    ]
    page.get_by_label("Spreadsheet").set_input_files(csv_file([IMPORT_HEADER, good_row, bad_row]))
    page.get_by_role("button", name="Check the file").click()

    report = page.get_by_test_id("import-report")
    expect(page.get_by_role("alert")).to_contain_text("1 row has problems. Nothing was imported")
    expect(report.get_by_role("row")).to_have_count(3)
    expect(report.get_by_role("row").nth(1)).to_contain_text("will add")
    bad = report.get_by_role("row").nth(2)
    expect(bad).to_contain_text("3")
    expect(bad).to_contain_text("No organization no-such-park.")
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)
    assert not Project.objects.exists()

    second_row = [
        "technology",
        "Friction stir welding of rails",
        "Bobbin-tool welding of aluminium rails without backing.",
        "en",
        "polytech",
        "5",
        "",
        "",
        "",
        "",
    ]
    page.get_by_label("Spreadsheet").set_input_files(
        csv_file([IMPORT_HEADER, good_row, second_row])
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("All 2 rows can be imported.")
    assert not Project.objects.exists()  # the preview writes nothing

    page.get_by_role("button", name="Import now").click()

    expect(page).to_have_url(re.compile(r"/projects/$"))
    expect(page.get_by_role("alert")).to_contain_text("Imported 2 rows.")
    expect(page.get_by_test_id("result-count")).to_have_text("2 projects found")
    expect(page.locator("#results .project-title")).to_contain_text(
        ["Friction stir welding of rails", "Thermal imaging for substations"]
    )
    page.get_by_role("link", name=re.compile("Thermal imaging")).click()
    expect(page.locator("main")).to_contain_text("Investment · 200 000 – 400 000 EUR")


# Offers ---------------------------------------------------------------------------------------


@pytest.fixture
def offers(network: dict[str, Organization], staff: Any) -> dict[str, Offer]:
    contact = PersonFactory(slug="li-wei", full_name="李伟", full_name_latin="Li Wei")
    AffiliationFactory(person=contact, organization=network["wuxi"])
    return {
        "fund": offer_create(
            actor=staff,
            owner=network["wuxi"],
            kind="investment",
            title="Hard-tech fund for joint ventures in China",
            description="We invest in teams from Russia and Central Asia that set up in Wuxi.",
            language="en",
            contact=contact,
            confidentiality="public",
            countries=["CN", "RU"],
            ticket_min=Decimal(1000000),
            ticket_max=Decimal(5000000),
            currency="CNY",
            trl_min=5,
            trl_max=7,
        ),
        "market": offer_create(
            actor=staff,
            owner=network["astana"],
            kind="market_access",
            title="Soft landing in Kazakhstan",
            description="Pilot customers, distributors and public procurement in Kazakhstan.",
            language="en",
            confidentiality="public",
            countries=["KZ"],
        ),
        "mentoring": offer_create(
            actor=staff,
            owner=network["technopark"],
            kind="mentoring",
            title="Менторская программа для аппаратных стартапов",
            description="Наставники из промышленности помогают пройти путь от прототипа к пилоту.",
            language="ru",
            confidentiality="public",
        ),
    }


def test_offer_filters_narrow_the_list_and_the_offer_page_shows_its_terms(
    live_server: Any, page: Any, offers: dict[str, Offer]
) -> None:
    page.goto(f"{live_server.url}/offers/")
    count = page.get_by_test_id("result-count")
    titles = page.locator("#results .offer-title")
    expect(count).to_have_text("3 offers and requests found")
    filters = page.locator("#offer-filters")
    mark_page(page)

    filters.get_by_label("Kind").select_option(label="Investment offer")
    expect(count).to_have_text("1 offer or request found")
    expect(titles).to_contain_text(["Hard-tech fund for joint ventures in China"])
    expect(page).to_have_url(re.compile(r"[?&]kind=investment\b"))

    filters.get_by_label("Kind").select_option(label="Any kind")
    # The country of the market an offer opens, or of the organization that makes it.
    filters.get_by_label("Country").select_option(label="Kazakhstan")
    expect(count).to_have_text("1 offer or request found")
    expect(titles).to_contain_text(["Soft landing in Kazakhstan"])
    filters.get_by_label("Country").select_option(label="Russia")
    expect(count).to_have_text("2 offers and requests found")
    expect(titles).to_contain_text(
        ["Менторская программа для аппаратных стартапов", "Hard-tech fund for joint ventures"]
    )
    filters.get_by_label("Kind").select_option(label="Mentoring")
    expect(titles).to_have_count(1)
    expect(titles).to_contain_text(["Менторская программа"])
    filters.get_by_label("Country").select_option(label="China")
    expect(count).to_have_text("0 offers and requests found")
    assert_same_page(page)

    filters.get_by_label("Kind").select_option(label="Investment offer")
    expect(count).to_have_text("1 offer or request found")
    expect(titles).to_contain_text(["Hard-tech fund for joint ventures"])
    titles.first.click()

    expect(page).to_have_url(re.compile(r"/offers/hard-tech-fund-for-joint-ventures-in-china/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hard-tech fund for joint ventures in China"
    )
    expect(page.get_by_test_id("ticket-size")).to_have_text("1 000 000 – 5 000 000 CNY")
    expect(page.locator("dd[data-testid=countries]")).to_have_text("China, Russia")
    expect(page.get_by_test_id("contact")).to_have_text("李伟 (Li Wei)")
    expect(page.locator("main")).to_contain_text("Tsinghua Science Park Wuxi")


# My organization ------------------------------------------------------------------------------


def test_my_organization_lists_the_members_projects_and_offers(
    live_server: Any,
    page: Any,
    network: dict[str, Organization],
    projects: dict[str, Project],
    offers: dict[str, Offer],
    member: Any,
    staff: Any,
    sign_in: SignIn,
) -> None:
    offer_create(
        actor=staff,
        owner=network["polytech"],
        kind="technology_request",
        title="Request: pressure sensors for pipelines",
        description="We look for pressure sensors that work at minus 50 degrees.",
        language="en",
        confidentiality="network",
    )
    sign_in(page, MEMBER_EMAIL, TEST_PASSWORD)
    page.locator("#user-menu").click()
    page.get_by_role("link", name="My organization").click()
    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My organization")

    # A member sees the organization they belong to; the park next door is someone else's.
    panels = page.get_by_test_id("organization-panel")
    expect(panels).to_have_count(1)
    panel = page.get_by_role("region", name="St. Petersburg Polytechnic University")
    expect(panel.get_by_role("heading", level=3).first).to_contain_text("2")
    projects_list = panel.locator("h3:has-text('Projects') + ul li")
    expect(projects_list).to_have_count(2)
    expect(projects_list).to_contain_text(
        ["Sodium-ion cells for grid storage", "Лазерная наплавка изношенных деталей"]
    )
    offers_list = panel.locator("h3:has-text('Offers and requests') + ul li")
    expect(offers_list).to_have_count(1)
    expect(offers_list).to_contain_text(["Request: pressure sensors for pipelines"])
    expect(panel).to_contain_text("No IP assets yet.")
    expect(panel).not_to_contain_text("Hydroflex")
    expect(panel).not_to_contain_text("Hard-tech fund")

    panel.get_by_role("link", name="Sodium-ion cells for grid storage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sodium-ion cells for grid storage")
    expect(page.locator("main").get_by_role("link", name="Edit")).to_be_visible()
