"""Private files (signed agreements, documents on a cooperation's timeline) go out through
views that check who asks, never through the public media URL."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(
    file: FieldFile, *, filename: str, content_type: str | None = None
) -> FileResponse:
    if not file.name:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    # Confidential content: no shared caches, no content sniffing.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
