"""Registry search latency: the organization and people list queries behind the search pages.

Builds a throw-away SQLite database (or uses DATABASE_URL) with N synthetic organizations and
people in Russian, Chinese and English, then times the selectors the pages and the API call,
first page rendered to a list, and prints percentiles.

    .venv/bin/python benchmarks/registry_search.py [--organizations 20000] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("PARKBRIDGE_VAR_DIR", tempfile.mkdtemp(prefix="parkbridge-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection, transaction

    from parkbridge.registry import selectors
    from parkbridge.registry.models import FocusArea, Organization, OrganizationKind

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    stems = [
        ("Технопарк", "Technopark", "科技园"),
        ("Университет", "University", "大学"),
        ("Институт материалов", "Materials Institute", "材料研究所"),
        ("Венчурный фонд", "Venture Fund", "创投基金"),
        ("Лаборатория лазерных технологий", "Laser Technology Lab", "激光技术实验室"),
    ]
    cities = ["Санкт-Петербург", "Москва", "无锡", "北京", "Almaty", "Aachen", "Minsk"]
    kinds = [kind for kind, _label in OrganizationKind.choices]
    countries = ["RU", "CN", "KZ", "DE", "BY", "UZ", "VN"]
    areas = list(FocusArea.objects.filter(level=2))
    started = time.perf_counter()
    with transaction.atomic():
        batch = []
        for number in range(args.organizations):
            ru, en, zh = rng.choice(stems)
            organization = Organization(
                slug=f"bench-{number}",
                name=f"{ru} №{number}",
                name_language="ru",
                name_en=f"{en} {number}",
                name_zh=f"{zh}{number}",
                kind=rng.choice(kinds),
                country=rng.choice(countries),
                city=rng.choice(cities),
                description=f"{en} working on {rng.choice(areas).name_en.lower()} {number}",
            )
            organization.search_text = "\n".join(
                [
                    organization.name,
                    organization.name_en,
                    organization.name_zh,
                    organization.city,
                    organization.description,
                ]
            ).lower()
            batch.append(organization)
        Organization.objects.bulk_create(batch, batch_size=2000)
        through = Organization.focus_areas.through
        ids = list(Organization.objects.values_list("id", flat=True))
        through.objects.bulk_create(
            [through(organization_id=oid, focusarea_id=rng.choice(areas).id) for oid in ids],
            batch_size=5000,
        )
    print(
        f"database: {connection.vendor}; {args.organizations} organizations loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )

    viewer = AnonymousUser()
    cases = {
        "word (ru)": lambda: selectors.OrganizationFilters(query="технопарк"),
        "word (zh)": lambda: selectors.OrganizationFilters(query="科技园"),
        "two words (en)": lambda: selectors.OrganizationFilters(query="laser lab"),
        "kind + country": lambda: selectors.OrganizationFilters(
            kind=rng.choice(kinds), country=rng.choice(countries)
        ),
        "focus area (major field)": lambda: selectors.OrganizationFilters(
            focus_area=rng.choice(["1", "2", "3"])
        ),
    }
    print(f"{'query':<26} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, make_filters in cases.items():
        timings = []
        for _ in range(args.queries):
            filters = make_filters()
            tick = time.perf_counter()
            queryset = selectors.organization_list(viewer=viewer, filters=filters)
            queryset.count()
            list(queryset[:20])
            timings.append((time.perf_counter() - tick) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:<26} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}")


if __name__ == "__main__":
    sys.exit(main())
