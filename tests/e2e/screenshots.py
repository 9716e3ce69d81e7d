"""Take the screenshots in docs/screenshots from a fresh demo installation.

    python -m tests.e2e.screenshots docs/screenshots

Run from the repository root with the project's Python. It builds a throw-away installation in
a temporary folder (SQLite, `migrate`, `parkbridge demo`), serves it with `runserver` on a free
local port, photographs the pages with Chromium, and removes everything again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.browser import launch_chromium

VIEWPORT = {"width": 1280, "height": 800}
DEMO_EMAIL = "spbpu@parkbridge.example"
DEMO_PASSWORD = "polytech-demo-2026"
SERVER_START_TIMEOUT_S = 60


@dataclass(frozen=True)
class Shot:
    filename: str
    # The address, or a function that finds it in the demo database (before the browser starts:
    # the ORM refuses to run inside Playwright's event loop).
    path: str | Callable[[], str]
    language: str = "en"
    signed_in: bool = False
    # An element that shows the page has rendered what it is about.
    ready: str = "main h1"
    # What a person does on the page before the picture is taken.
    action: Callable[[Any], None] | None = None


def _create_token(page: Any) -> None:
    """Create a token in place (HTMX), so the picture shows it listed and its secret shown once."""
    panel = page.locator("#tokens-panel")
    panel.locator("input[name=name]").fill("CRM sync script")
    panel.locator("button[type=submit]").first.click()
    page.locator("[data-testid=new-token]").wait_for(timeout=10_000)


def _upload_projects_with_one_bad_row(page: Any) -> None:
    """Check a small spreadsheet whose last row lacks a currency, so the preview reports it."""
    rows = [
        "kind,title,summary,language,owner,trl,needs,investment_min,investment_max,"
        "investment_currency",
        "startup,Thermal imaging for substations,Cameras and software that find overheating "
        "contacts before they fail.,en,spbpu,6,investment,200000,400000,EUR",
        "technology,Friction stir welding of aluminium rails,Bobbin-tool welding without "
        "backing bars for rail car bodies.,en,spbpu,5,industrial_partner,,,",
        "research,Ice-resistant coatings for wind turbines,Coatings that keep ice off "
        "turbine blades in arctic winters.,en,spbpu,3,investment,50000,,",
    ]
    page.locator("main input[type=file]").set_input_files(
        {"name": "projects.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}
    )
    page.locator("main form button[type=submit]").first.click()
    page.locator("[data-testid=import-report]").wait_for(timeout=10_000)


def _open_best_passages(page: Any) -> None:
    page.locator("#matches details.match-passages").first.evaluate("details => details.open = true")


def _translated_spbpu_startup() -> str:
    """A Russian startup of the SPbPU technology park that a person translated into English."""
    from parkbridge.portfolio.models import Project

    project = (
        Project.objects.filter(
            owner__slug="spbpu-technopark",
            kind="startup",
            language="ru",
            confidentiality="public",
            translations__language="en",
        )
        .order_by("slug")
        .first()
    )
    if project is None:
        raise LookupError("no public Russian startup of spbpu-technopark translated into English")
    return project.get_absolute_url()


def _chinese_project() -> str:
    """The public Chinese-language project that seeks the most, so the page shows much of the UI."""
    from django.db.models import Count

    from parkbridge.portfolio.models import Project

    project = (
        Project.objects.filter(language="zh", confidentiality="public")
        .annotate(need_count=Count("needs"))
        .order_by("-need_count", "slug")
        .first()
    )
    if project is None:
        raise LookupError("no public Chinese-language project in the demo data")
    return project.get_absolute_url()


SHOTS = [
    Shot("home.png", "/", ready="[data-testid=count-organizations]"),
    Shot("organizations.png", "/organizations/", ready="[data-testid=result-count]"),
    Shot(
        "organizations-ru-search.png",
        "/organizations/?q=технопарк",
        language="ru",
        ready="[data-testid=result-count]",
    ),
    Shot("organization-zh.png", "/organizations/tuspark-wuxi/", language="zh-hans"),
    Shot("organization-spbpu.png", "/organizations/spbpu/"),
    Shot("people.png", "/people/", ready="[data-testid=result-count]"),
    Shot("person-signed-in.png", "/people/khizhnyak-vd/", signed_in=True, ready="#contacts"),
    Shot(
        "profile-tokens.png",
        "/accounts/profile/",
        signed_in=True,
        ready="#tokens-panel",
        action=_create_token,
    ),
    # An operation block appears only once Swagger UI has fetched and read openapi.json.
    Shot("api-docs.png", "/api/v1/docs", ready=".swagger-ui .opblock"),
    Shot("projects.png", "/projects/", ready="[data-testid=result-count]"),
    Shot("project.png", _translated_spbpu_startup),
    Shot("project-zh.png", _chinese_project, language="zh-hans"),
    Shot("offers.png", "/offers/?kind=investment", ready="[data-testid=result-count]"),
    Shot("my-organization.png", "/my/", signed_in=True, ready="main section.card"),
    Shot(
        "matches.png",
        "/projects/ru-gidroflex-pem-stacks/",
        signed_in=True,
        ready="#matches .match-card",
        action=_open_best_passages,
    ),
    Shot(
        "find-partners.png",
        "/matches/?q=寻找氢燃料电池和储氢技术的合作伙伴&target=organization",
        language="zh-hans",
        ready="#search-results .match-card",
    ),
    Shot("pipeline.png", "/pipeline/", signed_in=True, ready="[data-testid=card]"),
    Shot("event.png", "/events/tuspark-wuxi-visit-2026-09-15/", signed_in=True),
    Shot(
        "brokerage-organize.png",
        "/events/ru-cn-technology-brokerage-day-2026/brokerage/organize/",
        signed_in=True,
    ),
    Shot("agreements.png", "/agreements/", signed_in=True, ready="[data-testid=result-count]"),
    Shot(
        "news-ru.png",
        "/news/wuxi-branch-visit-directions-for-cooperation/",
        language="ru",
    ),
    Shot(
        "import-preview.png",
        "/projects/import/",
        signed_in=True,
        action=_upload_projects_with_one_bad_row,
    ),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare_database(environment: dict[str, str]) -> None:
    """Migrate and load the demo data into the temporary installation."""
    os.environ.update(environment)
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo")
    connections.close_all()


def _wait_until_answering(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} in {SERVER_START_TIMEOUT_S}s:\n{log.read_text()}")


@contextmanager
def demo_server(var_dir: Path) -> Iterator[str]:
    """A fresh demo installation served on a free local port; yields its base URL."""
    environment = {
        "PARKBRIDGE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "parkbridge.settings",
    }
    _prepare_database(environment)
    port = _free_port()
    log = var_dir / "server.log"
    server_environment = {**os.environ, **environment}
    server_environment.pop("DATABASE_URL", None)
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "parkbridge", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=server_environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_answering(f"{base_url}/", server, log)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _new_context(browser: Any, base_url: str, language: str) -> Any:
    # The demo's home is St. Petersburg: times read as its users read them.
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", timezone_id="Europe/Moscow")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    return context


def _sign_in(context: Any, base_url: str) -> None:
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(DEMO_EMAIL)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("#user-menu").wait_for()
    page.close()


def take_screenshots(base_url: str, output: Path) -> list[str]:
    """Write the PNGs into `output`, printing each path; return the problems noticed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    paths: dict[str, str] = {}
    for shot in SHOTS:
        try:
            paths[shot.filename] = shot.path if isinstance(shot.path, str) else shot.path()
        except LookupError as error:
            problems.append(f"{shot.filename}: {error}")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        contexts: dict[tuple[str, bool], Any] = {}
        try:
            for shot in SHOTS:
                if shot.filename not in paths:
                    continue
                path = paths[shot.filename]
                key = (shot.language, shot.signed_in)
                if key not in contexts:
                    contexts[key] = _new_context(browser, base_url, shot.language)
                    if shot.signed_in:
                        _sign_in(contexts[key], base_url)
                page = contexts[key].new_page()
                failed: list[str] = []
                # A 404 for a stylesheet is aborted (nosniff) rather than answered: watch both.
                page.on("response", lambda r, f=failed: r.status >= 400 and f.append(r.url))
                page.on("requestfailed", lambda r, f=failed: f.append(r.url))
                response = page.goto(f"{base_url}{path}", wait_until="networkidle")
                if response is None or response.status != 200:
                    status = response.status if response else "no response"
                    problems.append(f"{path}: HTTP {status}")
                try:
                    page.locator(shot.ready).first.wait_for(state="visible", timeout=10_000)
                except PlaywrightTimeout:  # reported below; the picture still shows what is wrong
                    problems.append(f"{path}: {shot.ready!r} never appeared (blank page?)")
                if shot.action is not None:
                    try:
                        shot.action(page)
                    except PlaywrightTimeout as error:
                        problems.append(f"{path}: {shot.action.__name__} failed: {error}")
                    page.wait_for_load_state("networkidle")
                if failed:
                    problems.append(f"{path}: failed to load {', '.join(sorted(set(failed)))}")
                target = output / shot.filename
                page.screenshot(path=str(target), full_page=True)
                page.close()
                print(os.path.relpath(target))
        finally:
            for context in contexts.values():
                context.close()
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="docs/screenshots", type=Path)
    args = parser.parse_args(argv)
    output: Path = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="parkbridge-screenshots-"))
    try:
        with demo_server(var_dir) as base_url:
            problems = take_screenshots(base_url, output)
        if problems:
            for problem in problems:
                print(f"warning: {problem}", file=sys.stderr)
            print("--- server log ---", file=sys.stderr)
            print((var_dir / "server.log").read_text(errors="replace"), file=sys.stderr)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
