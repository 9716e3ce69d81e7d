"""Language helpers: the UI speaks en/ru/zh-hans, user content carries ISO 639-1 codes."""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Content languages the platform knows by name; user content may use any ISO 639-1 code.
CONTENT_LANGUAGES: list[tuple[str, Any]] = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("zh", _("Chinese")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("kk", _("Kazakh")),
    ("uz", _("Uzbek")),
    ("be", _("Belarusian")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("hi", _("Hindi")),
    ("vi", _("Vietnamese")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("pt", _("Portuguese")),
    ("it", _("Italian")),
    ("tr", _("Turkish")),
]
CONTENT_LANGUAGE_CODES = {code for code, _label in CONTENT_LANGUAGES}


def content_language_label(code: str) -> str:
    for known, label in CONTENT_LANGUAGES:
        if known == code:
            return str(label)
    from django.conf.locale import LANG_INFO

    # Django knows the English names of about a hundred languages; better than a bare code.
    return str(LANG_INFO.get(code, {}).get("name", code))


def ui_content_language() -> str:
    """The content-language code that matches the active UI language ('zh-hans' -> 'zh')."""
    language = (get_language() or "en").lower()
    return language.split("-")[0]


def localized_value(
    obj: Any, field: str, fallback: str | None = None, original_language: str = ""
) -> str:
    """The text to show in the UI language.

    `field_<ui language>` when filled; the original (`fallback`) when it is written in the UI
    language; then `field_en`; then the original whatever its language.
    """
    ui_language = ui_content_language()
    original = str(getattr(obj, fallback or field, "") or "")
    candidates = [getattr(obj, f"{field}_{ui_language}", "")]
    if original_language == ui_language:
        candidates.append(original)
    candidates.append(getattr(obj, f"{field}_en", ""))
    for value in candidates:
        if value:
            return str(value)
    return original


@functools.cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    # Choosing among the languages the platform names avoids look-alikes such as Wu Chinese
    # for Mandarin or Macedonian for Russian in short texts.
    identifier.set_languages(sorted(CONTENT_LANGUAGE_CODES & set(identifier.labels)))
    return identifier


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language a text is written in (py3langid, offline)."""
    code, _score = _language_identifier().classify(text)
    return str(code)


def language_or_detected(language: str, *texts: str) -> str:
    """The language the author gave, else the one detected from their texts."""
    if language:
        return language
    sample = "\n".join(text for text in texts if text)
    return detect_language(sample) if sample.strip() else "en"
