"""A progress bar per kind of item, for the commands that index."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def progress_bars(enabled: bool = True) -> Callable[[str, int, int], None]:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(kind: str, done: int, total: int) -> None:
        if not enabled:
            return
        bar = bars.get(kind)
        if bar is None:
            bar = bars[kind] = tqdm(total=total, desc=f"{kind:<12}", unit=" items", file=sys.stderr)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return progress
