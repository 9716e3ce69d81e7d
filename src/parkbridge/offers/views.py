from django.http import HttpRequest, HttpResponse


def offer_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
