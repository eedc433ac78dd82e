"""Anonymous input stores no IP address, user agent or session link.

An anonymous visitor with a distinctive address, user agent and session cookie walks the
public site (the kommun's pages and every page they link to), submits every form found
there, and then every text column of every table, the session table, the caches, the log
records and the e-mails are searched for the address, the user agent and the session key.
The login form is left out: it is not anonymous, and django-axes records the address of
login attempts by design (kept for `login_records`, docs/privacy.md).
"""

import hashlib
import logging
import pickle
from collections import deque
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.db import models
from django.urls import reverse

from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.dialogues.models import DialogueEntry

IP = "203.0.113.77"
USER_AGENT = "Probe/9.1 (anon-check-5d41402abc4b2a76)"
MARKER = "Trasig gatlampa vid lekplatsen zq7xk"
HONEYPOTS = {"website"}
SKIP = (".pdf", ".csv", ".json", ".yaml", ".atom", ".xlsx", ".svg", ".png")
MAX_PAGES = 80
TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.GenericIPAddressField,
    models.BinaryField,
)


@pytest.fixture
def published(db, coordinator, police, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, coordinator)
    return version


@pytest.fixture
def visitor(db, client):
    session = SessionStore()
    session["seen_intro"] = True  # an anonymous visitor's session from an earlier visit
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    client.defaults.update(REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT)
    return client, session.session_key


def _internal(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    path = parts.path
    if path.startswith(("/static/", "/admin/", "/arbete/", "/api/")) or path.endswith(SKIP):
        return None
    if path.startswith("/kommun/") and not path.startswith("/kommun/0642/"):
        return None  # the other 289 kommuner have the same pages
    return path + (f"?{parts.query}" if parts.query else "")


def _crawl(client, start):
    """(pages visited, forms found as (page, form element))."""
    queue, seen, forms = deque(start), set(start), []
    while queue and len(seen) <= MAX_PAGES:
        page = queue.popleft()
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        soup = BeautifulSoup(response.content, "html.parser")
        forms += [(page, form) for form in soup.find_all("form")]
        for link in soup.find_all("a", href=True):
            target = _internal(link["href"])
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen, forms


def _fill(form) -> dict:
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "image"):
            continue
        if field.name == "select":
            options = [o.get("value", o.text) for o in field.find_all("option")]
            data[name] = next((o for o in options if o), "")
        elif field.name == "textarea":
            data[name] = MARKER
        elif field.get("type") in ("hidden", "checkbox", "radio"):
            if field.get("type") == "hidden" or field.has_attr("checked"):
                data.setdefault(name, field.get("value", "on"))
        elif name in HONEYPOTS:
            data[name] = ""
        elif field.get("type") == "email":
            data[name] = "samordnare@example.se"
        else:
            data[name] = "Centrum"
    return data


def _submit_every_form(client, forms) -> set[str]:
    login = reverse("accounts:login")
    done = set()
    for page, form in forms:
        action = urlsplit(form.get("action") or page).path or urlsplit(page).path
        method = (form.get("method") or "get").lower()
        data = _fill(form)
        key = (action, method, tuple(sorted(data)))
        if action == login or key in done:
            continue
        done.add(key)
        response = getattr(client, method)(action, data)
        assert response.status_code < 500, (action, response.status_code)
    return {action for action, _method, _fields in done}


def _database_values():
    """(table.column, value) of every text-like column of every table."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        names = [f.attname for f in fields]
        for row in model._base_manager.values_list(*names):
            for name, value in zip(names, row, strict=True):
                if value not in (None, "", b""):
                    yield f"{model._meta.db_table}.{name}", value


def _cache_contents():
    for alias in settings.CACHES:
        cache = caches[alias]
        store = getattr(cache, "_cache", None)
        assert store is not None, f"cache {alias} cannot be inspected in tests"
        for key, value in store.items():
            yield alias, key, pickle.loads(value)


def test_anonymous_input_stores_no_address_user_agent_or_session_link(
    visitor, published, mullsjo, coordinator, caplog
):
    client, session_key = visitor
    caplog.set_level(logging.DEBUG)
    kommun = reverse("publicsite:municipality", args=["0642"])
    pages, forms = _crawl(client, [reverse("publicsite:home"), kommun])

    submitted = _submit_every_form(client, forms)

    # The walk reached the public forms (so the search below is not vacuous).
    dialogue_form = reverse("dialogues_public:form", args=["0642"])
    assert {dialogue_form, reverse("publicsite:home")} <= submitted
    assert reverse("accounts:password-reset") in submitted
    [entry] = DialogueEntry.objects.filter(text__contains="zq7xk")
    assert entry.area == "Centrum"
    assert len(pages) > 5

    needles = {"address": IP, "user agent": USER_AGENT, "session": session_key}
    needles["user agent (part)"] = "anon-check-5d41402abc4b2a76"
    for where, value in _database_values():
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        for what, needle in needles.items():
            if where == "django_session.session_key" and needle == session_key:
                continue  # the session row itself
            assert needle not in text, f"the {what} is stored in {where}"
        if "zq7xk" in text:
            assert where == "dialogues_dialogueentry.text", f"the text is copied to {where}"

    # The visitor's session holds nothing new: no link to what they wrote.
    stored = Session.objects.get(session_key=session_key)
    assert SessionStore().decode(stored.session_data) == {"seen_intro": True}
    assert Session.objects.count() == 1

    # Caches: the rate limit counts under a keyed hash, never the address or a plain hash.
    plain = hashlib.sha256(f"dialogue-form:{IP}".encode()).hexdigest()
    rate_keys = []
    for alias, key, value in _cache_contents():
        for what, needle in {**needles, "plain hash of the address": plain}.items():
            assert needle not in f"{key} {value!r}", f"the {what} is in the {alias} cache"
        rate_keys += [key] if "dialogue-form:" in key else []
    assert rate_keys, "the rate limit of the dialogue form left no key"

    # Logs (every level) and e-mails.
    for record in caplog.records:
        message = record.getMessage()
        for what, needle in needles.items():
            assert needle not in message, f"the {what} is logged by {record.name}"
    assert mail.outbox, "the password-reset form sent no mail"
    for message in mail.outbox:
        for what, needle in needles.items():
            assert needle not in message.body + message.subject, f"the {what} is in an e-mail"


def test_the_rate_limit_key_depends_on_the_secret_key(rf, settings):
    from medborgarlofte.dialogues.public_views import _rate_key

    request = rf.post("/", REMOTE_ADDR=IP)
    first = _rate_key(request)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert _rate_key(request) != first
    assert _rate_key(rf.post("/", REMOTE_ADDR="203.0.113.78")) != _rate_key(request)
