"""The public anonymous form: no account, no JavaScript needed, honeypot, rate limit.

The rate limit counts submissions per client address in Django's cache under a hash
of the address; the address is never written to the database, and neither is the
user agent or any session. Personal data found by the scanner is removed before the
text is stored, and the writer is told which kinds were removed.
"""

import hashlib

from django.core.cache import caches
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from medborgarlofte.accounts.middleware import client_ip
from medborgarlofte.privacy.scanner import KINDS

from . import services
from .forms import PublicEntryForm
from .queries import get_public_municipality

RATE_LIMIT = 5  # submissions per address and hour
RATE_WINDOW = 3600


def _rate_key(request) -> str:
    digest = hashlib.sha256(f"dialogue-form:{client_ip(request)}".encode()).hexdigest()
    return f"dialogue-form:{digest}"


def _over_limit(request) -> bool:
    key = _rate_key(request)
    if caches["shared"].add(key, 1, RATE_WINDOW):
        return False
    try:
        count = caches["shared"].incr(key)
    except ValueError:
        caches["shared"].set(key, 1, RATE_WINDOW)
        return False
    return count > RATE_LIMIT


@never_cache
def public_form(request, code):
    kommun = get_public_municipality(code)
    form = PublicEntryForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # the honeypot: a bot; answer as if all went well
            return redirect("dialogues_public:thanks", code=kommun.code)
        if _over_limit(request):
            status = 429
        else:
            _entry, kinds = services.submit_public_entry(
                kommun,
                date=timezone.localdate(),
                area=form.cleaned_data["area"],
                text=form.cleaned_data["text"],
            )
            url = reverse("dialogues_public:thanks", kwargs={"code": kommun.code})
            return redirect(f"{url}?{urlencode({'removed': ','.join(kinds)})}" if kinds else url)
    elif request.method == "POST":
        status = 400
    context = {"municipality": kommun, "form": form, "limited": status == 429}
    return render(request, "dialogues/public_form.html", context, status=status)


def thanks(request, code):
    kommun = get_public_municipality(code)
    removed = [k for k in request.GET.get("removed", "").split(",") if k in KINDS]
    return render(
        request, "dialogues/public_thanks.html", {"municipality": kommun, "removed": removed}
    )
