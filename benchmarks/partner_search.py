"""Partner search on the shared benchmark data (see ../shared/bench/README.md).

    .venv/bin/python benchmarks/partner_search.py [--data DIR] [--queries FILE] [--limit N]

Runs `parkbridge eval-matching --dense` (BM25, dense and hybrid) on the dev queries, then on
the cross-lingual queries: the data's 20 (xling-dev.jsonl), the 58 of
benchmarks/data/xling-extra.jsonl and the 240 of benchmarks/data/xling-more.jsonl, each alone,
then all 318 together. The first run embeds the 25,998
profile projects (about half an hour on two cores) and their 93,799 terms (about ten
minutes), and caches them under var/benchmarks/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "partner-search"
EXTRA_CROSS_LINGUAL = Path(__file__).resolve().parent / "data" / "xling-extra.jsonl"
MORE_CROSS_LINGUAL = Path(__file__).resolve().parent / "data" / "xling-more.jsonl"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    import django

    django.setup()
    from django.core.management import call_command

    args = sys.argv[1:]
    if "--dense" not in args:
        args = [*args, "--dense"]
    if "--data" not in args:
        args = ["--data", str(DEFAULT_DATA), *args]
    call_command("eval-matching", *args)
    if "--queries" not in args:
        data_dir = Path(args[args.index("--data") + 1])
        files = [data_dir / "xling-dev.jsonl", EXTRA_CROSS_LINGUAL, MORE_CROSS_LINGUAL]
        for path in files:
            call_command("eval-matching", *args, "--queries", str(path))
        call_command("eval-matching", *args, *(f"--queries={path}" for path in files))


if __name__ == "__main__":
    main()
