"""Launching Debian's Chromium the one way that works here, for the tests and the screenshots.

`playwright install` cannot download browsers in this environment, so Playwright drives the
system Chromium. The flags keep it quiet and working inside containers (no sandbox, no GPU, no
/dev/shm, no background calls home).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("PARKBRIDGE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from the system installation."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
