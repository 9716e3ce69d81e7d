"""Sign-in, sign-out, password and profile pages."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parkbridge.accounts import selectors, services
from parkbridge.accounts.forms import ApiTokenForm, EmailAuthenticationForm, ProfileForm
from parkbridge.accounts.models import ApiToken, User
from parkbridge.core.forms import apply_validation_error


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # A language chosen on this visit wins; otherwise the one saved in the profile.
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            _remember_language(response, user.preferred_language)
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(actor=user, user=user, **form.cleaned_data)
        language = form.cleaned_data["preferred_language"]
        translation.activate(language)
        messages.success(request, _("Profile saved."))
        return _remember_language(redirect("accounts:profile"), language)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": selectors.membership_list_for_user(user=user),
            "token_form": ApiTokenForm(),
            "tokens": selectors.api_token_list(user=user),
            "person": getattr(user, "person", None),
        },
    )


def _tokens_panel(
    request: HttpRequest, form: ApiTokenForm, new_secret: str | None = None
) -> HttpResponse:
    return render(
        request,
        "accounts/_tokens.html",
        {
            "token_form": form,
            "tokens": selectors.api_token_list(user=request.user),
            "new_secret": new_secret,
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    new_secret = None
    if form.is_valid():
        expires: datetime | None = form.cleaned_data["expires_at"]
        if expires is not None and timezone.is_naive(expires):
            expires = timezone.make_aware(expires)
        try:
            _token, new_secret = services.api_token_create(
                actor=cast(User, request.user),
                name=form.cleaned_data["name"],
                expires_at=expires,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = ApiTokenForm()
    if request.headers.get("HX-Request") == "true":
        return _tokens_panel(request, form, new_secret)
    if new_secret:
        messages.success(
            request, _("Your new token (shown only now): %(secret)s") % {"secret": new_secret}
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(actor=cast(User, request.user), token=token)
    if request.headers.get("HX-Request") == "true":
        return _tokens_panel(request, ApiTokenForm())
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
