"""Writes of agreements and their documents."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parkbridge.agreements.document_types import check_document_file
from parkbridge.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
)
from parkbridge.core import permissions
from parkbridge.core.i18n import language_or_detected
from parkbridge.core.models import AuditAction, Confidentiality
from parkbridge.core.services import audit_record, changed_fields
from parkbridge.pipeline.models import Cooperation
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization

AGREEMENT_FIELDS = {
    "kind",
    "title",
    "summary",
    "language",
    "owner",
    "status",
    "signed_on",
    "signed_place",
    "valid_from",
    "valid_until",
    "remind_days_before",
    "confidentiality",
}
DEFAULT_MAX_UPLOAD_MB = 20


def can_edit_agreement(user: Any, agreement: Agreement) -> bool:
    """Members of any party (and staff) keep the record and its documents up to date."""
    return permissions.is_party(user, _party_ids(agreement))


def can_delete_agreement(user: Any, agreement: Agreement) -> bool:
    """Admins of the registering organization, or staff."""
    return permissions.can_delete_owned(user, agreement)


def can_download_documents(user: Any, agreement: Agreement) -> bool:
    """The signed texts are for the parties only, even where the record itself is public."""
    return permissions.is_party(user, _party_ids(agreement))


def max_upload_mb() -> float:
    return float(getattr(settings, "PARKBRIDGE_AGREEMENT_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB))


def _party_ids(agreement: Agreement) -> set[int]:
    return set(agreement.parties.values_list("pk", flat=True))


def _check_values(values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - AGREEMENT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})


def _check_parties(owner: Organization, parties: list[Organization]) -> None:
    if len({party.pk for party in parties}) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    if owner.pk not in {party.pk for party in parties}:
        raise ValidationError(
            {"owner": _("The registering organization must be one of the parties.")}
        )


def _kept(
    current: Iterable[Any],
    given: Iterable[Any] | None,
    *,
    may_change: Any,
    field: str,
    refusal: str,
) -> tuple[list[Any], list[Any]]:
    """The links after an update, and the newly added ones. Links the actor may not change
    (items they cannot see, or another party's granted projects) stay as they are, so that
    a form showing only what the actor may choose never drops them."""
    current = list(current)
    if given is None:
        return current, []
    given = list(given)
    current_pks = {item.pk for item in current}
    if any(not may_change(item) for item in given if item.pk not in current_pks):
        raise ValidationError({field: refusal})
    kept = [item for item in current if not may_change(item)]
    chosen = [item for item in given if may_change(item)]
    result = list({item.pk: item for item in [*kept, *chosen]}.values())
    added = [item for item in chosen if item.pk not in current_pks]
    return result, added


def _check_cooperations(cooperations: list[Cooperation], party_ids: set[int]) -> None:
    for cooperation in cooperations:
        organizations = set(cooperation.organizations.values_list("pk", flat=True))
        if not organizations & party_ids:
            raise ValidationError(
                {
                    "cooperations": _(
                        "The cooperation “%(title)s” is not between any of the parties."
                    )
                    % {"title": cooperation.title}
                }
            )


def _check_granted_projects(
    agreement: Agreement,
    granted: list[Project],
    added: list[Project],
    party_ids: set[int],
) -> None:
    if granted and agreement.kind != AgreementKind.NDA:
        raise ValidationError(
            {"granted_projects": _("Only a non-disclosure agreement gives access to projects.")}
        )
    for project in granted:
        if project.owner_id not in party_ids:
            raise ValidationError(
                {
                    "granted_projects": _(
                        "The project “%(title)s” does not belong to one of the parties."
                    )
                    % {"title": project.display_title}
                }
            )
    for project in added:
        if project.confidentiality != Confidentiality.RESTRICTED:
            raise ValidationError(
                {
                    "granted_projects": _(
                        "The project “%(title)s” is not restricted: the network already sees "
                        "it, so an NDA has nothing to open."
                    )
                    % {"title": project.display_title}
                }
            )


def _may_link_project(actor: Any) -> Any:
    return lambda project: permissions.can_view(actor, project)


def _may_grant_project(actor: Any) -> Any:
    # Only the project's own organization may open it to others under an NDA.
    return lambda project: permissions.can_edit_owned(actor, project)


def _may_link_cooperation(actor: Any) -> Any:
    return lambda cooperation: permissions.is_party(
        actor, cooperation.organizations.values_list("pk", flat=True)
    )


def _save_links(
    *,
    actor: Any,
    agreement: Agreement,
    parties: list[Organization],
    cooperations: Iterable[Cooperation] | None,
    projects: Iterable[Project] | None,
    granted_projects: Iterable[Project] | None,
    creating: bool,
) -> dict[str, Any]:
    """Validate and store the many-to-many links; return what changed, for the audit trail."""
    party_ids = {party.pk for party in parties}
    current_cooperations = [] if creating else list(agreement.cooperations.all())
    current_projects = [] if creating else list(agreement.projects.all())
    current_granted = [] if creating else list(agreement.granted_projects.all())
    cooperations_after, added_cooperations = _kept(
        current_cooperations,
        cooperations,
        may_change=_may_link_cooperation(actor),
        field="cooperations",
        refusal=_("You may only link cooperations your organization takes part in."),
    )
    projects_after, _added = _kept(
        current_projects,
        projects,
        may_change=_may_link_project(actor),
        field="projects",
        refusal=_("You may only link projects you can see."),
    )
    granted_after: list[Project]
    added_granted: list[Project]
    if agreement.kind != AgreementKind.NDA and not granted_projects:
        # Only an NDA grants access; one that became another kind gives up its grants.
        granted_after, added_granted = [], []
    else:
        granted_after, added_granted = _kept(
            current_granted,
            granted_projects,
            may_change=_may_grant_project(actor),
            field="granted_projects",
            refusal=_(
                "Only members of a project's own organization may open it to the other parties."
            ),
        )
    _check_cooperations(added_cooperations, party_ids)
    _check_granted_projects(agreement, granted_after, added_granted, party_ids)

    changes: dict[str, Any] = {}
    for name, before, after in (
        ("parties", [] if creating else list(agreement.parties.all()), parties),
        ("cooperations", current_cooperations, cooperations_after),
        ("projects", current_projects, projects_after),
        ("granted_projects", current_granted, granted_after),
    ):
        if {item.pk for item in before} != {item.pk for item in after}:
            changes[name] = [sorted(str(item) for item in before), sorted(str(i) for i in after)]
            getattr(agreement, name).set(after)
    return changes


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    owner: Organization,
    parties: Iterable[Organization],
    cooperations: Iterable[Cooperation] = (),
    projects: Iterable[Project] = (),
    granted_projects: Iterable[Project] = (),
    **values: Any,
) -> Agreement:
    """Register an agreement for `owner`, which must be one of the (at least two) parties."""
    _check_values(values)
    if not permissions.can_contribute_for(actor, owner):
        raise PermissionDenied(
            _("You may only register agreements for organizations you belong to.")
        )
    parties = list(parties)
    _check_parties(owner, parties)
    values["language"] = language_or_detected(
        values.get("language", ""), values.get("title", ""), values.get("summary", "")
    )
    agreement = Agreement(
        owner=owner, created_by=actor if actor.is_authenticated else None, **values
    )
    agreement.full_clean()
    agreement.save()
    _save_links(
        actor=actor,
        agreement=agreement,
        parties=parties,
        cooperations=cooperations,
        projects=projects,
        granted_projects=granted_projects,
        creating=True,
    )
    audit_record(actor=actor, action=AuditAction.CREATED, target=agreement)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    parties: Iterable[Organization] | None = None,
    cooperations: Iterable[Cooperation] | None = None,
    projects: Iterable[Project] | None = None,
    granted_projects: Iterable[Project] | None = None,
    **values: Any,
) -> Agreement:
    """Change an agreement; links not given stay, links the actor may not change are kept."""
    if not can_edit_agreement(actor, agreement):
        raise PermissionDenied(_("Only members of the parties may change this agreement."))
    _check_values(values)
    if (
        "owner" in values
        and values["owner"] != agreement.owner
        and not permissions.can_contribute_for(actor, values["owner"])
    ):
        raise PermissionDenied(_("You may only move it to organizations you belong to."))
    if "language" in values and not values["language"]:
        values["language"] = language_or_detected(
            "",
            values.get("title", agreement.title),
            values.get("summary", agreement.summary),
        )
    changes = changed_fields(agreement, values)
    parties_after = list(parties) if parties is not None else list(agreement.parties.all())
    _check_parties(agreement.owner, parties_after)
    agreement.full_clean()
    agreement.save()
    changes.update(
        _save_links(
            actor=actor,
            agreement=agreement,
            parties=parties_after,
            cooperations=cooperations,
            projects=projects,
            granted_projects=granted_projects,
            creating=False,
        )
    )
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATED, target=agreement, changes=changes)
    return agreement


def _delete_files_after_commit(names: list[str], *, folder: str = "") -> None:
    """Remove stored files once the rows are gone for good (not if the transaction fails)."""

    def delete() -> None:
        storage = AgreementDocument._meta.get_field("file").storage
        for name in names:
            storage.delete(name)
        if folder:
            with contextlib.suppress(OSError, NotImplementedError):
                os.rmdir(storage.path(folder))

    transaction.on_commit(delete)


@transaction.atomic
def agreement_delete(*, actor: Any, agreement: Agreement) -> None:
    if not can_delete_agreement(actor, agreement):
        raise PermissionDenied(_("Only an admin of the registering organization may delete it."))
    names = [name for name in agreement.documents.values_list("file", flat=True) if name]
    audit_record(actor=actor, action=AuditAction.DELETED, target=agreement)
    folder = f"agreements/{agreement.pk}"
    agreement.delete()
    _delete_files_after_commit(names, folder=folder)


@transaction.atomic
def document_upload(
    *, actor: Any, agreement: Agreement, file: Any, title: str = ""
) -> AgreementDocument:
    """Attach a file (type and size checked) to the agreement; stored under
    MEDIA_ROOT/agreements/<id>/ and served only through the parties' download view."""
    if not can_edit_agreement(actor, agreement):
        raise PermissionDenied(_("Only members of the parties may add documents."))
    if file is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    document_type = check_document_file(file, limit_mb=max_upload_mb())
    name = str(file.name).replace("\\", "/").rsplit("/", 1)[-1]
    title = (title or "").strip() or name.rsplit(".", 1)[0]
    document = AgreementDocument(
        agreement=agreement,
        title=title[:200],
        content_type=document_type.content_type,
        size=file.size,
        uploaded_by=actor if actor.is_authenticated else None,
    )
    document.full_clean(exclude=["file"])
    document.file.save(name, file, save=False)
    try:
        document.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATED,
            target=agreement,
            changes={"documents": [None, document.title]},
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: AgreementDocument) -> None:
    agreement = document.agreement
    if not can_edit_agreement(actor, agreement):
        raise PermissionDenied(_("Only members of the parties may remove documents."))
    name = document.file.name
    title = document.title
    document.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATED,
        target=agreement,
        changes={"documents": [title, None]},
    )
    if name:
        _delete_files_after_commit([name])
