"""The public anonymous form: no account, no JavaScript needed, honeypot, rate limit.

The rate limit counts stored entries per client address in Django's cache under a hash
of the address; the address is never written to the database, and neither is the
user agent or any session. Personal data found by the scanner is removed before the
text is stored, and the writer is told which kinds were removed. A hidden random key
per rendered form (idempotency key) makes a form sent twice store one entry and
answer both times with the thanks page.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from medborgarlofte.accounts.middleware import client_ip
from medborgarlofte.accounts.public_cache import public_page
from medborgarlofte.accounts.ratelimit import RateLimit
from medborgarlofte.privacy.scanner import KINDS

from . import services
from .forms import PublicEntryForm
from .queries import entry_for_submission_key, get_public_municipality

RATE_LIMIT = 5  # submissions per address and hour
RATE_WINDOW = 3600
_LIMIT = RateLimit("dialogue-form", RATE_LIMIT, RATE_WINDOW)


def _rate_key(request) -> str:
    return _LIMIT.key(client_ip(request))


def _at_limit(request) -> bool:
    """True when this address has had RATE_LIMIT entries stored within the window."""
    return _LIMIT.at_limit(client_ip(request))


def _count(request) -> None:
    """Count a stored entry (not a resent form, which would wrongly use up the limit)."""
    _LIMIT.hit(client_ip(request))


@never_cache
def public_form(request, code):
    kommun = get_public_municipality(code)
    form = PublicEntryForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # the honeypot: a bot; answer as if all went well
            return redirect("dialogues_public:thanks", code=kommun.code)
        key = form.cleaned_data["idempotency_key"]
        # A form already stored (sent twice) gets the thanks page even at the limit.
        if _at_limit(request) and entry_for_submission_key(kommun, key) is None:
            status = 429
        else:
            _entry, kinds, created = services.submit_public_entry(
                kommun,
                date=timezone.localdate(),
                area=form.cleaned_data["area"],
                text=form.cleaned_data["text"],
                idempotency_key=key,
            )
            if created:
                _count(request)
            url = reverse("dialogues_public:thanks", kwargs={"code": kommun.code})
            return redirect(f"{url}?{urlencode({'removed': ','.join(kinds)})}" if kinds else url)
    elif request.method == "POST":
        status = 400
    context = {"municipality": kommun, "form": form, "limited": status == 429}
    return render(request, "dialogues/public_form.html", context, status=status)


@public_page()
def thanks(request, code):
    kommun = get_public_municipality(code)
    removed = [k for k in request.GET.get("removed", "").split(",") if k in KINDS]
    return render(
        request, "dialogues/public_thanks.html", {"municipality": kommun, "removed": removed}
    )
