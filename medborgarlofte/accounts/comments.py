"""Comments between the parties on a draft: one mechanism for every document they write
together (the agreement version, the lägesbild, the follow-up).

A party comments on the whole document or on a part of it (a section, a commitment, a
problem); anyone of the two parties can answer (a thread), and either can mark the
thread resolved (or open it again). Every comment, reply, resolution and reopening is
audited. Comments are internal working notes: they are shown on the staff page of the
document only, never on a public page, in an export (YAML/JSON/DOCX/PDF) or in the API.
Only the kommun's coordinators and police (the edit roles) read and write them; readers
(the local council) do not see the drafting discussion (docs/permissions.md).

This module imports no domain app (the layer contract): each app registers its
document kind in its AppConfig.ready with `register(DocumentKind(...))`, saying how
to fetch the document for a user (404 for strangers), where its staff page is and which
parts can be commented on. Open comments are counted beside the approvals
("2 olösta kommentarer") and listed for the to-do list by `open_comments_for`. The form
(scanned for personal data), the view and the page context are in privacy/comments.py,
the layer that may use the personal-data scanner.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access, audit
from .models import Comment

Anchor = Comment.Anchor


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # "agreement", "lagesbild", "followup" (in the URL and the model)
    model: type  # the document model (an ApprovableDocument with a municipality)
    label: Callable[[object], str]  # "Medborgarlöfte 2024, version 2"
    get_for_user: Callable[[object, int], object]  # (user, pk) -> document; 404 for others
    url: Callable[[object], str]  # the staff page of the document
    # (document) -> [(anchor_kind, anchor_ref, label)] besides the whole document
    anchors: Callable[[object], list[tuple[str, str, str]]] = field(default=lambda document: [])


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    _KINDS[kind.kind] = kind


def kind_for(name: str) -> DocumentKind:
    return _KINDS[name]


def kind_of(document) -> DocumentKind:
    for registered in _KINDS.values():
        if isinstance(document, registered.model):
            return registered
    raise LookupError(type(document).__name__)


def can_read(user, municipality) -> bool:
    """Comments are the parties' drafting notes: coordinators and police only."""
    return access.can_edit(user, municipality)


def can_comment(user, document) -> bool:
    """New comments and replies while the document is not yet published."""
    return can_read(user, document.municipality) and not document.approvals_final


def comments_on(document):
    kind = kind_of(document)
    return Comment.objects.filter(
        municipality=document.municipality, document_kind=kind.kind, document_id=document.pk
    ).select_related("author", "resolved_by")


def open_count(document) -> int:
    return comments_on(document).filter(parent=None, resolved_at=None).count()


def anchor_choices(document) -> list[tuple[str, str]]:
    """The form choices: "document:" for the whole document, then "<kind>:<ref>"."""
    choices = [(f"{Anchor.DOCUMENT}:", _("The whole document"))]
    for anchor_kind, ref, label in kind_of(document).anchors(document):
        choices.append((f"{anchor_kind}:{ref}", f"{Anchor(anchor_kind).label}: {label}"[:300]))
    return choices


def _anchor(document, value: str) -> tuple[str, str, str]:
    for choice, label in anchor_choices(document):
        if choice == value:
            anchor_kind, _sep, ref = value.partition(":")
            return anchor_kind, ref, "" if anchor_kind == Anchor.DOCUMENT else label
    raise ValidationError(_("Choose what the comment is about."))


def _require(user, document) -> None:
    if not can_read(user, document.municipality):
        raise PermissionDenied
    if document.approvals_final:
        raise ValidationError(_("The document is published: it can no longer be commented on."))


@transaction.atomic
def add(user, document, text: str, *, anchor: str = "document:", parent: Comment | None = None):
    """A new comment (on `anchor`, "<kind>:<ref>") or a reply to `parent`. The text must
    have been scanned for personal data (privacy.comments.CommentForm)."""
    _require(user, document)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a comment."))
    kind = kind_of(document)
    if parent is not None:
        if parent.parent_id is not None or (parent.document_kind, parent.document_id) != (
            kind.kind,
            document.pk,
        ):
            raise ValidationError(_("Answer a comment on this document."))
        anchor_kind, ref, label = parent.anchor_kind, parent.anchor_ref, parent.anchor_label
    else:
        anchor_kind, ref, label = _anchor(document, anchor)
    comment = Comment.objects.create(
        municipality=document.municipality,
        document_kind=kind.kind,
        document_id=document.pk,
        anchor_kind=anchor_kind,
        anchor_ref=ref,
        anchor_label=label,
        parent=parent,
        author=user,
        text=text,
    )
    if parent is not None:
        # An answer to a resolved thread opens it again.
        Comment.objects.filter(pk=parent.pk, municipality=document.municipality).exclude(
            resolved_at=None
        ).update(resolved_at=None, resolved_by=None)
    audit.record(
        user=user,
        action="reply_comment" if parent is not None else "add_comment",
        obj=comment,
        summary=kind.label(document),
        after={"document": kind.kind, "id": document.pk, "anchor": f"{anchor_kind}:{ref}"},
    )
    return comment


@transaction.atomic
def set_resolved(user, document, comment: Comment, resolved: bool) -> Comment:
    """Mark a thread resolved, or open it again."""
    _require(user, document)
    comment = Comment.objects.select_for_update().get(
        pk=comment.pk, municipality=document.municipality
    )
    if comment.parent_id is not None:
        raise ValidationError(_("Resolve the first comment of the thread."))
    if resolved == comment.is_resolved:
        return comment
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit.record(
        user=user,
        action="resolve_comment" if resolved else "reopen_comment",
        obj=comment,
        summary=kind_of(document).label(document),
        after={"document": comment.document_kind, "id": document.pk},
    )
    return comment


def get_comment(document, pk: int) -> Comment:
    from django.http import Http404

    comment = comments_on(document).filter(pk=pk).first()
    if comment is None:
        raise Http404
    return comment


def threads(document) -> list[dict]:
    """The threads of the document: open ones first, each with its replies in order."""
    rows = list(comments_on(document))
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.parent_id:
            replies.setdefault(row.parent_id, []).append(row)
    top = [row for row in rows if row.parent_id is None]
    top.sort(key=lambda c: (c.is_resolved, c.created_at, c.pk))
    return [{"comment": c, "replies": replies.get(c.pk, [])} for c in top]


def open_comments_for(user, municipality) -> list[dict]:
    """The to-do list: open threads on the kommun's documents that wait for this user,
    i.e. whose latest message is by someone else. Each row: comment (the thread's first),
    last (its latest message), document label and url."""
    if not can_read(user, municipality):
        return []
    rows = Comment.objects.filter(
        municipality=municipality, document_kind__in=list(_KINDS)
    ).select_related("author")
    threads_by_id: dict[int, list[Comment]] = {}
    for row in rows.order_by("created_at", "id"):
        threads_by_id.setdefault(row.parent_id or row.pk, []).append(row)
    out = []
    documents: dict[tuple[str, int], object] = {}
    for messages_ in threads_by_id.values():
        first = messages_[0]
        if first.parent_id is not None or first.is_resolved or messages_[-1].author_id == user.pk:
            continue
        kind = _KINDS[first.document_kind]
        key = (kind.kind, first.document_id)
        if key not in documents:
            try:
                documents[key] = kind.get_for_user(user, first.document_id)
            except Exception:  # noqa: BLE001 (gone or not the user's: not on the list)
                documents[key] = None
        document = documents[key]
        if document is None or document.approvals_final:
            continue
        out.append(
            {
                "comment": first,
                "last": messages_[-1],
                "document": kind.label(document),
                "url": kind.url(document) + f"#comment-{first.pk}",
            }
        )
    return out
