"""Spreadsheet import and export (CSV and XLSX through tablib), shared by the domain apps.

An import is read whole, every row is checked, and the rows are written in one transaction:
all land or none does. The preview is the same run with the writes rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ROWS = 5000
LIST_SEPARATOR = ";"


@dataclass
class RowResult:
    number: int  # as a spreadsheet user counts: the header is row 1
    values: dict[str, str]
    action: str = ""  # "create" or "update"
    errors: list[str] = field(default_factory=list)
    label: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult]
    columns: list[str]
    committed: bool = False

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and self.error_count == 0


class _Rollback(Exception):
    pass


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    """Parse an uploaded CSV or XLSX file; a ValidationError says what is wrong with it."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    try:
        if extension == "csv":
            text = content.decode("utf-8-sig")
            dataset = tablib.Dataset().load(text, format="csv")
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The CSV file is not UTF-8 text.")) from error
    except Exception as error:  # tablib raises many kinds for broken files
        raise ValidationError(_("The file could not be read as a spreadsheet.")) from error
    if not dataset.headers:
        raise ValidationError(_("The first row must name the columns."))
    if dataset.height > MAX_ROWS:
        raise ValidationError(
            _("At most %(count)d rows can be imported at once.") % {"count": MAX_ROWS}
        )
    return dataset


def run_import(
    dataset: tablib.Dataset,
    *,
    required_columns: Sequence[str],
    known_columns: Sequence[str],
    import_row: Callable[[dict[str, str]], tuple[str, str]],
    commit: bool,
) -> ImportReport:
    """Check (and with `commit`, write) every row; `import_row` returns (action, label)."""
    headers = [str(header or "").strip().lower() for header in dataset.headers]
    report = ImportReport(rows=[], columns=headers)
    missing = [column for column in required_columns if column not in headers]
    unknown = [column for column in headers if column and column not in known_columns]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
        raise ValidationError("; ".join(problems))
    for index, raw in enumerate(dataset, start=2):
        values = {
            header: "" if value is None else str(value).strip()
            for header, value in zip(headers, raw, strict=False)
            if header
        }
        if not any(values.values()):
            continue
        report.rows.append(RowResult(number=index, values=values))
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    with transaction.atomic():
                        row.action, row.label = import_row(row.values)
                except ValidationError as error:
                    row.errors = _messages(error)
                except PermissionDenied as error:
                    row.errors = [str(error) or _("You may not import this row.")]
            if not commit or report.error_count:
                raise _Rollback
    except _Rollback:
        return report
    report.committed = True
    return report


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}" if field != "__all__" else str(message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [str(message) for message in error.messages]


def split_list(value: str) -> list[str]:
    return [
        item.strip()
        for item in value.replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR)
        if item.strip()
    ]


def join_list(values: Iterable[Any]) -> str:
    return f"{LIST_SEPARATOR} ".join(str(value) for value in values)


def export_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], file_format: str) -> bytes:
    dataset = tablib.Dataset(headers=list(columns))
    for row in rows:
        dataset.append(["" if value is None else value for value in row])
    exported = dataset.export(file_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def download(content: bytes, *, name: str, file_format: str) -> Any:
    """An HTTP attachment of an exported spreadsheet."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def existing_for_import(model: Any, slug: str, actor: Any) -> Any:
    """The item a row's slug names, or None; a slug the actor may not see reads as taken."""
    from parkbridge.core.permissions import can_view

    existing = model.objects.filter(slug=slug).first() if slug else None
    if existing is not None and not can_view(actor, existing):
        raise ValidationError(
            {"slug": _("This identifier is taken; leave it empty to add a new one.")}
        )
    return existing
