"""The interface is fully translated into Russian and Simplified Chinese."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import parkbridge

PACKAGE = Path(parkbridge.__file__).resolve().parent
LOCALES = ["ru", "zh_Hans"]


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(locale):
    catalog = polib.pofile(str(PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []
    compiled = polib.mofile(str(PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.mo"))
    assert {entry.msgid for entry in compiled} >= {entry.msgid for entry in catalog}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_interface_string_is_in_the_catalogs(tmp_path, settings, monkeypatch):
    """Re-extract the messages from a copy of the code: nothing new may be untranslated."""
    copy = tmp_path / "parkbridge"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=LOCALES,
        no_obsolete=True,
        ignore_patterns=["static/*"],
        verbosity=0,
    )
    for locale in LOCALES:
        catalog = polib.pofile(str(copy / "locale" / locale / "LC_MESSAGES" / "django.po"))
        missing = [entry.msgid for entry in catalog.untranslated_entries()]
        missing += [entry.msgid for entry in catalog.fuzzy_entries()]
        assert missing == [], f"{locale}: run `make messages` and translate: {missing}"
    assert os.getcwd() == str(copy)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", ["Организации", "Войти", "Последние события"]), ("zh-hans", ["机构", "登录"])],
)
def test_pages_speak_the_chosen_language(client, db, language, expected):
    client.cookies["django_language"] = language
    page = client.get("/").content.decode()
    for text in expected:
        assert text in page
    assert "Recent activity" not in page and "Sign in" not in page
