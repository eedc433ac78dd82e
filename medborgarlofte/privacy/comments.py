"""The page side of the comments between the parties (services: accounts/comments.py).

The comment form scans its text for personal data like every staff form; the one view
takes a new comment, a reply, a resolution or a reopening by POST and returns to the
document's staff page (it works without JavaScript). It lives here, not in accounts,
because the scanner is in this layer (docs/decisions/0004-layers.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medborgarlofte.accounts import comments

from .forms import CommentForm


def context_for(document, user, form=None) -> dict:
    """What the fragment accounts/_comments.html (and the count in _approvals.html)
    needs; nothing for users who may not read the comments."""
    if document is None or not comments.can_read(user, document.municipality):
        return {"comments_visible": False}
    writable = comments.can_comment(user, document)
    if writable and form is None:
        form = CommentForm(anchors=comments.anchor_choices(document))
    return {
        "comments_visible": True,
        "comment_threads": comments.threads(document),
        "open_comment_count": comments.open_count(document),
        "comment_form": form if writable else None,
        "can_comment": writable,
        "comment_url": reverse(
            "privacy:comment", args=[comments.kind_of(document).kind, document.pk]
        ),
    }


def _comment_id(request) -> int:
    try:
        return int(request.POST.get("comment", ""))
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def comment(request, kind, pk):
    try:
        registered = comments.kind_for(kind)
    except KeyError:
        raise Http404 from None
    document = registered.get_for_user(request.user, pk)
    if not comments.can_read(request.user, document.municipality):
        raise PermissionDenied
    back = registered.url(document)
    action = request.POST.get("action", "add")
    form = None
    try:
        if action in ("resolve", "reopen"):
            found = comments.get_comment(document, _comment_id(request))
            comments.set_resolved(request.user, document, found, action == "resolve")
            messages.success(
                request,
                _("The comment is resolved.")
                if action == "resolve"
                else _("The comment is open again."),
            )
            return redirect(f"{back}#comment-{found.pk}")
        form = CommentForm(request.POST, anchors=comments.anchor_choices(document))
        if form.is_valid():
            parent = None
            if form.cleaned_data.get("parent"):
                parent = comments.get_comment(document, form.cleaned_data["parent"])
            saved = comments.add(
                request.user,
                document,
                form.cleaned_data["text"],
                anchor=form.cleaned_data.get("anchor") or "document:",
                parent=parent,
            )
            messages.success(request, _("The comment is saved."))
            return redirect(f"{back}#comment-{(parent or saved).pk}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{back}#comments")
    return render(
        request,
        "privacy/comment_form.html",
        {
            "form": form,
            "document_label": registered.label(document),
            "back": back,
            "comment_url": request.path,
        },
        status=400,
    )
