"""The upload → preview → confirm page flow shared by every spreadsheet import."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parkbridge.core.spreadsheets import ImportReport

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ImportRunner = Callable[..., ImportReport]


def _upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored_upload(request: HttpRequest, token: str) -> Path | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        return None
    matches = list(_upload_dir().glob(f"{request.user.pk}-{token}.*"))
    return matches[0] if matches else None


def spreadsheet_import(
    request: HttpRequest,
    *,
    run: ImportRunner,
    title: str,
    columns: list[str],
    required: list[str],
    done_url: str,
    form_class: Any,
) -> HttpResponse:
    """Upload shows a preview with each row's problems; confirming imports all rows or none."""
    context: dict[str, Any] = {
        "title": title,
        "columns": columns,
        "required": required,
        "done_url": done_url,
    }
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("token"):
        stored = _stored_upload(request, request.POST["token"])
        if stored is None:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect(request.path)
        report = _run(request, run, stored.read_bytes(), stored.name, commit=True, form=form)
        if report is not None and report.committed:
            stored.unlink(missing_ok=True)
            count = len(report.rows)
            messages.success(
                request,
                ngettext("Imported %(count)d row.", "Imported %(count)d rows.", count)
                % {"count": count},
            )
            return redirect(done_url)
        context.update(report=report, token=request.POST["token"], form=form_class())
        return render(request, "core/import.html", context)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            content = upload.read()
            report = _run(request, run, content, upload.name, commit=False, form=form)
            if report is not None:
                token = uuid.uuid4().hex
                extension = upload.name.rsplit(".", 1)[-1].lower()
                (_upload_dir() / f"{request.user.pk}-{token}.{extension}").write_bytes(content)
                context.update(report=report, token=token)
    context["form"] = form
    return render(request, "core/import.html", context)


def _run(
    request: HttpRequest,
    run: ImportRunner,
    content: bytes,
    filename: str,
    *,
    commit: bool,
    form: Any,
) -> ImportReport | None:
    try:
        return run(actor=request.user, content=content, filename=filename, commit=commit)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None
