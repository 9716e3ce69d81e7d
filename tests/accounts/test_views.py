from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from parkbridge.accounts.models import ApiToken
from tests.factories import TEST_PASSWORD


def test_sign_in_with_email_and_password(member):
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "MEMBER@polytech.example", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_wrong_password_keeps_email_and_says_why(member):
    response = Client().post(
        "/accounts/login/", {"username": "member@polytech.example", "password": "wrong"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="member@polytech.example"' in text
    assert "not right" in text


def test_sign_in_applies_preferred_language(member):
    member.preferred_language = "ru"
    member.save()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": member.email, "password": TEST_PASSWORD}
    )
    assert response.cookies["django_language"].value == "ru"
    assert "Организации" in client.get("/").content.decode()


def test_sign_out(member):
    client = Client()
    client.force_login(member)
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_password_change(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-new-long-secret-77",
            "new_password2": "a-new-long-secret-77",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-new-long-secret-77")


def test_weak_new_password_is_refused(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def test_password_reset_by_email(member):
    client = Client()
    client.post("/accounts/password/reset/", {"email": member.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-secret-42", "new_password2": "brand-new-secret-42"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("brand-new-secret-42")


def test_profile_saves_language(member):
    client = Client()
    client.force_login(member)
    response = client.post(
        "/accounts/profile/", {"full_name": "Anna", "preferred_language": "zh-hans"}
    )
    assert response.cookies["django_language"].value == "zh-hans"
    member.refresh_from_db()
    assert member.full_name == "Anna" and member.preferred_language == "zh-hans"


def test_token_create_and_revoke_with_htmx(member):
    client = Client()
    client.force_login(member)
    response = client.post("/accounts/tokens/", {"name": "CRM"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    token = ApiToken.objects.get(user=member)
    assert f"pbk_{token.prefix}_" in text
    assert "<html" not in text  # only the panel is swapped
    again = client.get("/accounts/profile/").content.decode()
    assert f"pbk_{token.prefix}_" not in again  # the secret is shown once
    client.post(f"/accounts/tokens/{token.pk}/revoke/", HTTP_HX_REQUEST="true")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_without_name_is_an_error_in_the_panel(member):
    client = Client()
    client.force_login(member)
    response = client.post("/accounts/tokens/", {"name": ""}, HTTP_HX_REQUEST="true")
    assert "invalid-feedback" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token(member, outsider):
    from parkbridge.accounts.services import api_token_create

    token, _secret = api_token_create(actor=member, name="x")
    client = Client()
    client.force_login(outsider)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
