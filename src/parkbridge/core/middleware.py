"""Request-wide helpers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from parkbridge.core.permissions import remembered_for_request


class PermissionMemoMiddleware:
    """Within one request, the viewer's memberships are looked up once, however many rows the
    page asks the permission policy about."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with remembered_for_request():
            return self.get_response(request)
