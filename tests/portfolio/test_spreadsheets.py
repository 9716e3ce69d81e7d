from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from parkbridge.portfolio.models import Project
from parkbridge.portfolio.spreadsheets import PROJECT_COLUMNS, projects_export, projects_import
from tests.conftest import client_for


def _csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns or PROJECT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


GOOD = {
    "kind": "startup",
    "title": "Лазерная наплавка валов",
    "summary": "Восстановление валов лазерной наплавкой для судостроения.",
    "owner": "polytech",
    "focus_areas": "2.3; 2.5",
    "keywords": "лазер; наплавка",
    "trl": "6",
    "stage": "pilot",
    "team_size": "7",
    "needs": "investment; market_access",
    "investment_min": "300000",
    "investment_max": "1000000",
    "investment_currency": "usd",
    "market_countries": "CN; KZ",
}


def test_preview_then_commit(member):
    content = _csv([GOOD, {**GOOD, "title": "Второй проект", "kind": "research", "team_size": ""}])
    preview = projects_import(actor=member, content=content, filename="p.csv", commit=False)
    assert preview.is_valid and not preview.committed
    assert [row.action for row in preview.rows] == ["create", "create"]
    assert not Project.objects.exists()  # the preview writes nothing
    report = projects_import(actor=member, content=content, filename="p.csv", commit=True)
    assert report.committed
    project = Project.objects.get(title="Лазерная наплавка валов")
    assert project.language == "ru" and project.trl == 6
    investment = project.needs.get(kind="investment")
    assert (investment.amount_max, investment.currency) == (1000000, "USD")
    assert sorted(str(c) for c in project.needs.get(kind="market_access").countries) == ["CN", "KZ"]


def test_one_bad_row_stops_the_whole_import_with_a_row_report(member):
    rows = [
        GOOD,
        {**GOOD, "title": "Bad TRL", "trl": "12"},
        {**GOOD, "title": "Bad owner", "owner": "nowhere"},
        {**GOOD, "title": "Bad area", "focus_areas": "9.9"},
        {**GOOD, "title": "Bad date", "founded_on": "31.12.2024"},
    ]
    report = projects_import(actor=member, content=_csv(rows), filename="p.csv", commit=True)
    assert not report.committed
    assert report.error_count == 4
    errors = {row.number: " ".join(row.errors) for row in report.rows if row.errors}
    assert "trl" in errors[3] and "nowhere" in errors[4] and "9.9" in errors[5]
    assert "YYYY-MM-DD" in errors[6]
    assert not Project.objects.exists()


def test_rows_for_other_organizations_are_refused(outsider):
    report = projects_import(actor=outsider, content=_csv([GOOD]), filename="p.csv", commit=True)
    assert not report.committed and report.rows[0].errors


def test_bad_files_are_explained(member):
    with pytest.raises(ValidationError, match=r"csv or \.xlsx"):
        projects_import(actor=member, content=b"x", filename="p.pdf", commit=False)
    with pytest.raises(ValidationError, match="missing columns: owner"):
        projects_import(
            actor=member,
            content=_csv(
                [{"kind": "startup", "title": "x", "summary": "y"}], ["kind", "title", "summary"]
            ),
            filename="p.csv",
            commit=False,
        )
    with pytest.raises(ValidationError, match="unknown columns: colour"):
        projects_import(
            actor=member,
            content=_csv([], [*PROJECT_COLUMNS, "colour"]),
            filename="p.csv",
            commit=False,
        )
    with pytest.raises(ValidationError, match="UTF-8"):
        projects_import(
            actor=member,
            content="kind;title\nstartup;Проект".encode("cp1251"),
            filename="p.csv",
            commit=False,
        )


def test_export_round_trips_through_import(member, organization):
    projects_import(actor=member, content=_csv([GOOD]), filename="p.csv", commit=True)
    exported = projects_export(projects=Project.objects.all(), file_format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    assert [cell.value for cell in sheet[1]] == PROJECT_COLUMNS
    csv_bytes = projects_export(projects=Project.objects.all(), file_format="csv")
    edited = csv_bytes.decode().replace("Лазерная наплавка валов", "Лазерная наплавка валов v2")
    report = projects_import(actor=member, content=edited.encode(), filename="p.csv", commit=True)
    assert report.committed and [row.action for row in report.rows] == ["update"]
    assert Project.objects.get().title == "Лазерная наплавка валов v2"


def test_import_pages(member):
    client = client_for(member)
    upload = io.BytesIO(_csv([GOOD, {**GOOD, "title": "Broken", "trl": "0"}]))
    upload.name = "projects.csv"
    page = client.post("/projects/import/", {"file": upload}).content.decode()
    assert "Broken" in page and "table-danger" in page and "Import now" not in page
    good = io.BytesIO(_csv([GOOD]))
    good.name = "projects.csv"
    page = client.post("/projects/import/", {"file": good}).content.decode()
    assert "Import now" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    assert not Project.objects.exists()
    response = client.post("/projects/import/", {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert Project.objects.count() == 1
    stranger = Client()
    stranger.force_login(
        member.__class__.objects.create_user(email="x@y.example", password="x" * 12)
    )
    assert stranger.post("/projects/import/", {"token": token}).status_code == 403
