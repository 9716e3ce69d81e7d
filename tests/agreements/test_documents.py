"""Agreement documents: type checks by extension and content, the size limit, where files are
stored, and who may download them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parkbridge.agreements import services
from parkbridge.agreements.models import AgreementDocument
from tests.agreements.conftest import make_agreement
from tests.conftest import client_for

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
PLAIN_ZIP = _zip({"readme.txt": b"hello"})


@pytest.fixture
def agreement(member, organization, partner):
    return make_agreement(member, organization, [organization, partner])


def _upload(actor, agreement, name, content, title=""):
    return services.document_upload(
        actor=actor,
        agreement=agreement,
        file=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        title=title,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("contract.pdf", PDF, "application/pdf"),
        ("contract.PDF", PDF, "application/pdf"),
        (
            "contract.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("contract.doc", DOC, "application/msword"),
        ("contract.odt", ODT, "application/vnd.oasis.opendocument.text"),
        (
            "budget.xlsx",
            XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("signatures.png", PNG, "image/png"),
        ("signatures.jpg", JPEG, "image/jpeg"),
        ("signatures.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_allowed_types_are_stored_under_media_root(member, agreement, name, content, content_type):
    document = _upload(member, agreement, name, content)
    assert document.content_type == content_type  # from the content, not from the browser
    assert document.size == len(content)
    assert document.title == name.rsplit(".", 1)[0]
    assert document.download_name == name
    stored = Path(settings.MEDIA_ROOT) / document.file.name
    assert stored.parent == Path(settings.MEDIA_ROOT) / "agreements" / str(agreement.pk)
    assert stored.read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", EXE, "are not accepted"),
        ("contract", PDF, "are not accepted"),
        ("notes.txt", b"plain text", "are not accepted"),
        ("contract.pdf", EXE, "content is not a PDF file"),
        ("contract.docx", EXE, "content is not a DOCX file"),
        ("contract.docx", PLAIN_ZIP, "content is not a DOCX file"),
        ("contract.xlsx", DOCX, "content is a DOCX file"),
        ("contract.pdf", PNG, "content is a PNG file"),
        ("scan.jpg", PDF, "content is a PDF file"),
        ("contract.pdf", b"", "empty"),
    ],
)
def test_wrong_or_renamed_files_are_refused(member, agreement, name, content, message):
    with pytest.raises(ValidationError) as error:
        _upload(member, agreement, name, content)
    assert message in error.value.message_dict["file"][0]
    assert not AgreementDocument.objects.exists()


def test_size_limit_comes_from_settings(member, agreement, settings):
    assert services.max_upload_mb() == 20
    settings.PARKBRIDGE_AGREEMENT_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        _upload(member, agreement, "big.pdf", big)
    assert "at most 1 MB" in error.value.message_dict["file"][0]
    assert _upload(member, agreement, "small.pdf", PDF).size == len(PDF)


def test_only_parties_upload_and_remove(
    member, partner_member, outsider, agreement, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        _upload(outsider, agreement, "contract.pdf", PDF)
    document = _upload(partner_member, agreement, "contract.pdf", PDF, title="Signed copy")
    stored = Path(settings.MEDIA_ROOT) / document.file.name
    with pytest.raises(PermissionDenied):
        services.document_delete(actor=outsider, document=document)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=member, document=document)
    assert not AgreementDocument.objects.exists()
    assert not stored.exists()


def test_deleting_the_agreement_removes_its_files(
    org_admin, member, agreement, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # an empty folder, so the agreement's own folder goes too
    document = _upload(member, agreement, "contract.pdf", PDF)
    folder = (tmp_path / document.file.name).parent
    assert folder.is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_delete(actor=org_admin, agreement=agreement)
    assert not folder.exists()


DOWNLOAD = {
    # audience: (restricted agreement, public agreement)
    "anonymous": ("login", "login"),
    "loner": (404, 403),
    "outsider": (404, 403),
    "member": (200, 200),
    "partner_member": (200, 200),
    "staff_user": (200, 200),
}


@pytest.mark.parametrize("audience", list(DOWNLOAD))
@pytest.mark.parametrize("level", ["restricted", "public"])
def test_download_is_for_the_parties(
    request, audience, level, member, organization, partner, loner, outsider, staff_user
):
    agreement = make_agreement(member, organization, [organization, partner], confidentiality=level)
    document = _upload(member, agreement, "Договор о сотрудничестве.pdf", PDF)
    user = None if audience == "anonymous" else request.getfixturevalue(audience)
    expected = DOWNLOAD[audience][0 if level == "restricted" else 1]

    page = client_for(user).get(f"/agreements/{agreement.pk}/documents/{document.pk}/")
    api = client_for(user).get(f"/api/v1/agreements/{agreement.pk}/documents/{document.pk}")
    if expected == "login":
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        assert api.status_code in (401, 404)
        return
    assert page.status_code == expected
    assert api.status_code == expected
    if expected == 200:
        for response in (page, api):
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Type"] == "application/pdf"
            disposition = response["Content-Disposition"]
            assert disposition.startswith("attachment;")
            assert "filename*=utf-8''" in disposition  # the Cyrillic name survives
            assert response["Cache-Control"] == "private, no-store"


def test_missing_document_is_404(member, agreement):
    assert client_for(member).get(f"/agreements/{agreement.pk}/documents/999/").status_code == 404


def test_public_media_url_does_not_serve_agreement_files(member, agreement, db):
    document = _upload(member, agreement, "contract.pdf", PDF)
    media_url = settings.MEDIA_URL.rstrip("/")
    for url in (
        f"{media_url}/{document.file.name}",
        f"{media_url}/logos/../{document.file.name}",
    ):
        assert client_for(None).get(url).status_code == 404, url
