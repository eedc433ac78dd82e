"""The to-do page (Att göra) and the switch of the daily to-do e-mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from medborgarlofte.accounts.user_settings import set_todo_digest, settings_for

from .todo import todo_for


class DigestForm(forms.Form):
    todo_digest = forms.BooleanField(
        label=gettext_lazy("E-mail me this list every morning when anything waits"),
        required=False,
    )


@login_required
@require_safe
def todo(request):
    items = todo_for(request.user)
    groups: dict = {}
    for item in items:
        groups.setdefault(item.municipality, []).append(item)
    form = DigestForm(initial={"todo_digest": settings_for(request.user).todo_digest})
    return render(
        request,
        "followup/todo.html",
        {"groups": list(groups.items()), "count": len(items), "digest_form": form},
    )


@login_required
@require_POST
def todo_digest(request):
    form = DigestForm(request.POST)
    form.is_valid()  # a missing box is "off": the form is always valid
    enabled = bool(form.cleaned_data.get("todo_digest"))
    set_todo_digest(request.user, enabled)
    if enabled and not request.user.email:
        messages.warning(request, _("Your account has no e-mail address: no e-mail can be sent."))
    messages.success(
        request,
        _("You will get the to-do list by e-mail.")
        if enabled
        else _("You will no longer get the to-do list by e-mail."),
    )
    return redirect("followup:todo")
