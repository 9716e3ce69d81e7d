"""Configuration checks that Django runs before serving and in `parkbridge check`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from parkbridge.matching.glossary import Glossary, GlossaryError


def glossaries_readable(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A park's glossary with a mistake is reported at start-up, not at someone's first search."""
    errors: list[CheckMessage] = []
    for path in settings.PARKBRIDGE_GLOSSARIES:
        try:
            Glossary.read(Path(path))
        except GlossaryError as error:
            errors.append(
                Error(
                    str(error),
                    hint="Fix the file or remove it from PARKBRIDGE_GLOSSARIES.",
                    id="parkbridge.E001",
                )
            )
    return errors
