from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _settings_value(tmp_path: Path, expression: str, **env: str) -> str:
    code = f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','parkbridge.settings'); from django.conf import settings; print({expression})"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    environment.update({"PARKBRIDGE_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = _settings_value(tmp_path, "settings.SECRET_KEY")
    second = _settings_value(tmp_path, "settings.SECRET_KEY")
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_environment_overrides(tmp_path):
    assert _settings_value(tmp_path, "settings.SECRET_KEY", SECRET_KEY="from-env") == "from-env"
    assert _settings_value(tmp_path, "settings.DEBUG") == "False"
    assert _settings_value(tmp_path, "settings.DEBUG", DEBUG="1") == "True"
    assert (
        _settings_value(tmp_path, "settings.DATABASES['default']['ENGINE']")
        == "django.db.backends.sqlite3"
    )
    assert (
        _settings_value(
            tmp_path,
            "settings.DATABASES['default']['ENGINE']",
            DATABASE_URL="postgres://u:p@localhost/db",
        )
        == "django.db.backends.postgresql"
    )
    assert (
        _settings_value(tmp_path, "settings.ALLOWED_HOSTS", ALLOWED_HOSTS="a.example,b.example")
        == "['a.example', 'b.example']"
    )


def test_static_assets_are_served_locally(client, db):
    page = client.get("/").content.decode()
    assert "cdn" not in page.lower() and "googleapis" not in page
    css = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    assert css.status_code == 200
    htmx = client.get("/static/vendor/htmx/htmx.min.js")
    assert htmx.status_code == 200
