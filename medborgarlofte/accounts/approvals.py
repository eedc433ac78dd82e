"""Two-party approval: one mechanism for every document the police and the kommun approve.

The rule, the same for the agreement version, the lägesbild and the follow-up (and the
documents to come): the police and the kommun each approve; when both have, the document
is agreed (and can be published, or for the lägesbild is frozen); any edit clears the
approvals; an approval can be withdrawn until the document is published.

A document model takes part by inheriting ApprovableDocument (its status values, the noun
in audit actions) and having an approval model built on PartyApproval with
`related_name="approvals"` (both in accounts/models.py). The services here lock the document, check that the user
speaks for the party (the user's roles in the kommun, ROLE_PARTY_KIND), audit every
approval, withdrawal, clearing and "both approved", and say whether approvals were
cleared. Publishing stays with each document and asks `both_approved`.

Refusals answer one way: approving or withdrawing for a party the user does not speak
for raises PermissionDenied (403); a state error (already approved, nothing to withdraw,
already published) raises ValidationError, which views show as a message.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, audit
from .models import MUNICIPALITY, POLICE, ROLE_PARTY_KIND, ApprovableDocument, PartyApproval

BOTH = frozenset({POLICE, MUNICIPALITY})

# The one message shown when an edit cleared approvals.
CLEARED_MESSAGE = gettext_lazy("The change cleared the approvals. Both parties must approve again.")


@dataclass
class ApprovalResult:
    document: ApprovableDocument  # the locked, current row
    approval: PartyApproval | None
    both_approved: bool


def party_kinds_for(user, municipality) -> list[str]:
    """The parties the user may approve for: police users the police, coordinators the kommun."""
    roles = access.roles_for(user, municipality)
    return sorted({ROLE_PARTY_KIND[role] for role in roles if role in ROLE_PARTY_KIND})


def lock(document):
    """The current row of the document, locked for the rest of the transaction."""
    return (
        type(document)
        .objects.select_for_update()
        .get(pk=document.pk, municipality_id=document.municipality_id)
    )


def approved_kinds(document) -> set[str]:
    return set(document.approvals.values_list("party_kind", flat=True))


def both_approved(document) -> bool:
    return approved_kinds(document) >= BOTH


def _summary(document) -> str:
    return str(document)[:300]


def _party_for(document, user, party_kind: str | None) -> str:
    """The party the user acts for: the one asked for, or their only one. 403 otherwise."""
    access.require_edit(user, document.municipality)
    kinds = party_kinds_for(user, document.municipality)
    if party_kind is None and len(kinds) == 1:
        party_kind = kinds[0]
    if party_kind not in kinds:
        raise PermissionDenied
    return party_kind


def _refuse_final(document) -> None:
    if document.approvals_final:
        raise ValidationError(_("It is already published: its approvals can no longer change."))


def _set_status(document, status) -> None:
    if status is not None and document.status != status:
        document.status = status
        document.save(update_fields=["status", "updated_at"])


@transaction.atomic
def approve(
    document,
    user,
    party_kind: str | None = None,
    *,
    check: Callable[[object, str, bool], None] | None = None,
) -> ApprovalResult:
    """Approve the document for one party. `check(document, party_kind, completes)` is the
    document's own condition (e.g. the publication gate when this approval completes
    both); it runs after the common checks, before anything is written."""
    party_kind = _party_for(document, user, party_kind)
    document = lock(document)
    _refuse_final(document)
    approved = approved_kinds(document)
    if party_kind in approved:
        raise ValidationError(_("This party has already approved."))
    completes = approved | {party_kind} >= BOTH
    if check is not None:
        check(document, party_kind, completes)
    approval = document.approvals.create(
        party_kind=party_kind, user=user, municipality=document.municipality
    )
    noun = document.APPROVAL_NOUN
    audit.record(
        user=user,
        action=f"approve_{noun}",
        obj=document,
        summary=_summary(document),
        after={"party": party_kind},
    )
    if completes:
        _set_status(document, document.APPROVAL_AGREED)
        audit.record(
            user=user,
            action=f"agree_{noun}",
            obj=document,
            summary=_summary(document),
            after={"parties": sorted(BOTH)},
        )
    return ApprovalResult(document, approval, completes)


@transaction.atomic
def withdraw(document, user, party_kind: str | None = None) -> ApprovalResult:
    """Withdraw one party's approval; allowed until the document is published. The
    document goes back to draft."""
    party_kind = _party_for(document, user, party_kind)
    document = lock(document)
    _refuse_final(document)
    deleted, _details = document.approvals.filter(party_kind=party_kind).delete()
    if not deleted:
        raise ValidationError(_("This party has not approved, so there is nothing to withdraw."))
    _set_status(document, document.APPROVAL_DRAFT)
    audit.record(
        user=user,
        action=f"withdraw_{document.APPROVAL_NOUN}_approval",
        obj=document,
        summary=_summary(document),
        before={"party": party_kind},
    )
    return ApprovalResult(document, None, False)


def clear_approvals(document, user) -> int:
    """An edit: delete every approval and set the document back to draft. `document`
    must be locked (see lock); refusing edits of published documents is the caller's
    business. Returns how many approvals were cleared (audited when any)."""
    cleared = sorted(approved_kinds(document))
    if cleared:
        document.approvals.all().delete()
        audit.record(
            user=user,
            action=f"clear_{document.APPROVAL_NOUN}_approvals",
            obj=document,
            summary=_summary(document),
            before={"parties": cleared},
        )
    if document.status != document.APPROVAL_DRAFT:
        _set_status(document, document.APPROVAL_DRAFT)
    else:
        document.save(update_fields=["updated_at"])
    return len(cleared)


def context_for(document, user, *, can_act: bool) -> dict:
    """What the fragment accounts/_approvals.html needs: the approvals by party and the
    parties the user can approve or withdraw for (none when `can_act` is false)."""
    approvals = {}
    if document is not None:
        approvals = {a.party_kind: a for a in document.approvals.select_related("user")}
    kinds = party_kinds_for(user, document.municipality) if document is not None else []
    can_act = can_act and document is not None and not document.approvals_final
    return {
        "approvals": approvals,
        "can_approve": [k for k in kinds if k not in approvals] if can_act else [],
        "can_withdraw": [k for k in kinds if k in approvals] if can_act else [],
    }


def report_cleared(request, cleared) -> None:
    """The one warning after an edit that cleared approvals."""
    if cleared:
        messages.warning(request, CLEARED_MESSAGE)
