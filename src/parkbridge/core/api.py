"""API plumbing shared by every router: authentication and error answers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status
from ninja.security.http import HttpAuthBase

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ApiRequest(HttpRequest):
    """What an endpoint receives: `auth` is the user (or AnonymousUser) the call acts as."""

    auth: Any


class ApiAuthentication(HttpAuthBase):
    """A personal token (`Authorization: Bearer pbk_...`), else the browser session, else anonymous.

    Anonymous callers get through to endpoints; the permission policy then decides what they
    see, exactly as on the web pages. A token that is presented but wrong is refused with 401.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        from parkbridge.accounts.services import api_token_authenticate

        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, credentials = header.partition(" ")
            if scheme.lower() != "bearer" or not credentials:
                return None
            user = api_token_authenticate(credentials)
            if user is not None:
                request.user = user
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method in UNSAFE_METHODS and not _csrf_passes(request):
                return None
            return user
        return AnonymousUser()


def _csrf_passes(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda r: HttpResponse())
    check.process_request(request)
    return check.process_view(request, lambda r: HttpResponse(), (), {}) is None


def _validation_body(error: ValidationError) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        errors = {
            field: [str(message) for item in items for message in item.messages]
            for field, items in error.error_dict.items()
        }
        return {"detail": "Invalid input.", "errors": errors}
    return {"detail": " ".join(str(message) for message in error.messages), "errors": {}}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, _validation_body(exc), status=400)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        user = getattr(request, "user", None)
        status = 403 if user is not None and user.is_authenticated else 401
        detail = str(exc) or "You may not do this."
        return api.create_response(request, {"detail": detail}, status=status)

    @api.exception_handler(ObjectDoesNotExist)
    def on_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": "Invalid or expired API token, or missing CSRF token for a session."},
            status=401,
        )


class ImportRowOut(Schema):
    row: int
    action: str
    label: str
    errors: list[str]


class ImportOut(Schema):
    committed: bool
    rows: list[ImportRowOut]
    error_count: int


def import_answer(report: Any, *, dry_run: bool) -> Status[dict[str, Any]]:
    """200 when the rows landed (or, for a dry run, would land); 400 with each row's errors."""
    status = 200 if report.committed or (dry_run and report.is_valid) else 400
    rows = [
        {"row": row.number, "action": row.action, "label": row.label, "errors": row.errors}
        for row in report.rows
    ]
    return Status(
        status, {"committed": report.committed, "error_count": report.error_count, "rows": rows}
    )
