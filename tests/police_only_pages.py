"""Every URL pattern of the project with its arguments from the police-only test's world,
and what a response says (tests/test_police_only_everywhere.py).

ARGS has a row per URL name (the admin's per-model pages are made from the admin site's
registry); the test fails when a pattern has no row. A row gives the argument lists to
request the pattern with, from the objects of the world.
"""

import contextlib
import io
import json
import os
import re
import subprocess
import zipfile

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# --- Every URL pattern, with arguments from the world ------------------------------------


def _code_sets(*codes):
    return lambda w: [[c] for c in codes]


def _lagesbilder(extra=lambda w, lb: []):
    return lambda w: [[lb.pk, *extra(w, lb)] for lb in (w["frozen"], w["draft"])]


def _versions(*extra):
    def build(w):
        a = w["agreement"]
        return [
            [a.pk, v.number, *e(w)] for v in (w["published"], w["draft_version"]) for e in extra
        ]

    return build


def _fu(*tail):
    return lambda w: [["0642", 2024, *t(w)] for t in tail] if tail else [["0642", 2024]]


NONE = lambda w: [[]]  # noqa: E731
CODES = _code_sets("0642", "0680")
ARGS = {
    # public pages, feeds and open data
    "publicsite:home": NONE,
    "publicsite:accessibility": NONE,
    "publicsite:municipality": CODES,
    "publicsite:agreement": lambda w: [["0642", 2024], ["0680", 2021]],
    "publicsite:agreement-version": lambda w: [["0642", 2024, 1]],
    "publicsite:agreement-download": lambda w: [["0642", 2024, f] for f in ("yaml", "json")],
    "publicsite:agreement-document": lambda w: [["0642", 2024, f] for f in ("docx", "pdf")],
    "crimestats_public:statistics": _code_sets("0642"),
    "dialogues_public:form": _code_sets("0642"),
    "dialogues_public:thanks": _code_sets("0642"),
    "incidents_public:week": lambda w: [["0642", *w["week"]]],
    "incidents_public:tertial": lambda w: [["0642", w["week"][0], 1]],
    "lagesbild_public:chain": lambda w: [["0642", 2024], ["0642", 2025]],
    "followup_public:citizen-page": _fu(),
    "followup_public:open-data-csv": _fu(),
    "followup_public:open-data-json": _fu(),
    "followup_public:report-pdf": _fu(),
    "followup_public:feed": _code_sets("0642"),
    "followup_public:national-feed": NONE,
    "followup_public:api-index": NONE,
    "followup_public:api-followup": _fu(),
    # accounts
    "accounts:login": NONE,
    "accounts:organisation-login": NONE,
    "accounts:logout": NONE,
    "accounts:extend-session": NONE,
    "accounts:my-data": NONE,
    "accounts:verify-two-factor": NONE,
    "accounts:setup-two-factor": NONE,
    "accounts:regenerate-recovery-codes": NONE,
    "accounts:password-change": NONE,
    "accounts:password-change-done": NONE,
    "accounts:password-reset": NONE,
    "accounts:password-reset-done": NONE,
    "accounts:password-reset-confirm": lambda w: [["MQ", "set-password"]],
    "accounts:password-reset-complete": NONE,
    # an unknown provider: 404 (accounts/tests/test_sso_oidc.py and test_sso_saml.py sign
    # in through real ones)
    "accounts:sso-start": lambda w: [["finns-inte"]],
    "accounts:oidc-callback": lambda w: [["finns-inte"]],
    "accounts:saml-acs": lambda w: [["finns-inte"]],
    "accounts:saml-metadata": lambda w: [["finns-inte"]],
    # internal pages
    "crimestats:statistics": CODES,
    "crimestats:download-summary": lambda w: [["0642", f] for f in ("json", "csv")],
    "crimestats:national-upload": NONE,
    "crimestats:national-import": NONE,
    "surveys:municipality": CODES,
    "surveys:import-survey": CODES,
    "surveys:set-thresholds": CODES,
    "surveys:create-wave": CODES,
    "surveys:wave": lambda w: [["0642", w["wave"].pk]],
    "surveys:update-wave": lambda w: [["0642", w["wave"].pk]],
    "surveys:delete-wave": lambda w: [["0642", w["wave"].pk]],
    "surveys:save-value": lambda w: [["0642", w["wave"].pk]],
    "surveys:delete-value": lambda w: [["0642", w["wave"].values.first().pk]],
    "surveys:undo-delete-value": lambda w: [["0642", w["wave"].pk]],
    "dialogues:municipality": CODES,
    "dialogues:create-entry": CODES,
    "dialogues:entry": lambda w: [["0642", w["entry"].pk]],
    "dialogues:update-themes": lambda w: [["0642", w["entry"].pk]],
    "dialogues:delete-entry": lambda w: [["0642", w["entry"].pk]],
    "dialogues:import-upload": CODES,
    "dialogues:import-mapping": lambda w: [["0642", w["token"]]],
    "incidents:home": NONE,
    "incidents:new-report": CODES,
    "incidents:my-reports": NONE,
    "incidents:edit-incident": lambda w: [[w["incident"].pk]],
    "incidents:review": CODES,
    "incidents:incident": lambda w: [["0642", w["incident"].pk]],
    "incidents:handle-incident": lambda w: [["0642", w["incident"].pk]],
    "incidents:merge-incident": lambda w: [["0642", w["incident"].pk]],
    "incidents:places": CODES,
    "incidents:add-place": CODES,
    "incidents:edit-place": lambda w: [["0642", w["place"].pk]],
    "incidents:categories": CODES,
    "incidents:toggle-category": lambda w: [["0642", w["category"].pk]],
    "incidents:current-week": CODES,
    "incidents:week": lambda w: [["0642", *w["week"]]],
    "incidents:week-pdf": lambda w: [["0642", *w["week"]]],
    "incidents:add-meeting": lambda w: [["0642", *w["week"]]],
    "incidents:add-action": lambda w: [["0642", w["meeting"].pk]],
    "incidents:close-action": lambda w: [["0642", w["action"].pk]],
    "incidents:tertial": lambda w: [["0642", w["week"][0], 1]],
    "incidents:tertial-pdf": lambda w: [["0642", w["week"][0], 1]],
    "lagesbild:municipality": CODES,
    "lagesbild:create-lagesbild": CODES,
    "lagesbild:add-programme": CODES,
    "lagesbild:delete-programme": lambda w: [["0642", w["programme"].pk]],
    "lagesbild:intelligence": CODES,
    "lagesbild:save-intelligence": CODES,
    "lagesbild:document": _lagesbilder(),
    "lagesbild:document-pdf": _lagesbilder(),
    "lagesbild:export": _lagesbilder(),
    "lagesbild:update-details": _lagesbilder(),
    "lagesbild:add-problem": _lagesbilder(),
    "lagesbild:update-problem": lambda w: [[w["draft"].pk, w["problem"].pk]],
    "lagesbild:move-problem": lambda w: [[w["draft"].pk, w["problem"].pk]],
    "lagesbild:add-evidence": lambda w: [[w["draft"].pk, w["problem"].pk]],
    "lagesbild:delete-evidence": lambda w: [[w["draft"].pk, w["intel_evidence"].pk]],
    "lagesbild:sort-problems": _lagesbilder(),
    "lagesbild:approve": _lagesbilder(),
    "lagesbild:version": lambda w: [[w["frozen"].pk, 1]],
    "lagesbild:version-pdf": lambda w: [[w["frozen"].pk, 1]],
    "lagesbild:decide-version": lambda w: [[w["frozen"].pk, 1]],
    "lagesbild:add-consequence": _lagesbilder(),
    "lagesbild:delete-consequence": lambda w: [[w["draft"].pk, w["consequence"].pk]],
    "actionplans:municipality": CODES,
    "actionplans:create-plan": CODES,
    "actionplans:import-plan": CODES,
    "actionplans:upload-plan": CODES,
    "actionplans:plan": lambda w: [[w["plan"].pk]],
    "actionplans:plan-pdf": lambda w: [[w["plan"].pk]],
    "actionplans:update-plan": lambda w: [[w["plan"].pk]],
    "actionplans:add-measure": lambda w: [[w["plan"].pk]],
    "actionplans:update-measure": lambda w: [[w["plan"].pk, w["measure"].pk]],
    "actionplans:record-followup": lambda w: [[w["plan"].pk, w["measure"].pk]],
    "actionplans:to-commitment": lambda w: [[w["plan"].pk, w["measure"].pk]],
    "actionplans:approve": lambda w: [[w["plan"].pk]],
    "actionplans:decide": lambda w: [[w["plan"].pk]],
    "actionplans:revise": lambda w: [[w["plan"].pk]],
    "actionplans:create-cooperation": CODES,
    "actionplans:cooperation": lambda w: [[w["cooperation"].pk]],
    "actionplans:update-cooperation": lambda w: [[w["cooperation"].pk]],
    "actionplans:add-goal": lambda w: [[w["cooperation"].pk]],
    "actionplans:sign-cooperation": lambda w: [[w["cooperation"].pk]],
    "actionplans:commitment-goals": lambda w: [
        [w["cooperation"].pk, w["agreement"].pk, w["commitment"].ref]
    ],
    "council:report": CODES,
    "council:report-pdf": CODES,
    "council:report-docx": CODES,
    "council:plan-export": lambda w: [[w["plan"].pk]],
    "followup:municipality": _code_sets("0642"),
    "followup:year": _fu(),
    "followup:activities": _fu(),
    "followup:add-activity": _fu(),
    "followup:import-activities": _fu(),
    "followup:delete-activity": _fu(lambda w: [w["activity"].pk]),
    "followup:add-evidence": _fu(lambda w: [w["activity"].pk]),
    "followup:download-evidence": _fu(lambda w: [w["evidence"].pk]),
    "followup:indicator": _fu(lambda w: list(w["indicator"])),
    "followup:add-indicator-value": _fu(lambda w: list(w["indicator"])),
    "followup:set-indicator-source": _fu(lambda w: list(w["indicator"])),
    "followup:report": _fu(),
    "followup:report-pdf": _fu(),
    "followup:followup": _fu(*(lambda w, p=p: [p] for p in ("t1", "year"))),
    "followup:save-followup": _fu(lambda w: ["t3"]),
    "followup:approve-followup": _fu(lambda w: ["t3"]),
    "followup:publish-followup": _fu(lambda w: ["t3"]),
    "followup:todo": NONE,
    "followup:todo-digest": NONE,
    "agreements:dashboard": NONE,
    "agreements:municipality": CODES,
    "agreements:upload-agreement": CODES,
    "agreements:audit-log": CODES,
    "agreements:agreement": lambda w: [[w["agreement"].pk]],
    "agreements:new-version": lambda w: [[w["agreement"].pk]],
    "agreements:history": lambda w: [[w["agreement"].pk]],
    "agreements:version": _versions(lambda w: []),
    "agreements:download-version": _versions(lambda w: ["yaml"], lambda w: ["json"]),
    "agreements:update-details": _versions(lambda w: []),
    "agreements:add-focus-area": _versions(lambda w: []),
    "agreements:delete-focus-area": _versions(
        lambda w: [w["draft_version"].focus_areas.first().pk]
    ),
    "agreements:add-crime-category": _versions(lambda w: []),
    "agreements:delete-crime-category": _versions(
        lambda w: [w["draft_version"].crime_categories.first().pk]
    ),
    "agreements:add-section": _versions(lambda w: []),
    "agreements:update-section": _versions(lambda w: [w["draft_version"].sections.first().pk]),
    "agreements:add-commitment": _versions(lambda w: [w["draft_version"].sections.first().pk]),
    "agreements:update-commitment": _versions(lambda w: [w["commitment"].pk]),
    "agreements:add-indicator": _versions(lambda w: [w["commitment"].pk]),
    "agreements:delete-indicator": _versions(lambda w: [w["commitment"].indicators.first().pk]),
    "agreements:undo-delete": _versions(lambda w: []),
    "agreements:approve": _versions(lambda w: []),
    "agreements:publish": _versions(lambda w: []),
    "agreements:apply-priorities": _versions(lambda w: []),
    "agreements:link-problems": _versions(lambda w: [w["commitment"].pk]),
    "agreements:copy-agreement": lambda w: [[w["agreement"].pk]],
    "agreements:drop-commitment": _versions(lambda w: [w["commitment"].pk]),
    "agreements:update-focus-area": _versions(
        lambda w: [w["draft_version"].focus_areas.first().pk]
    ),
    "agreements:update-crime-category": _versions(
        lambda w: [w["draft_version"].crime_categories.first().pk]
    ),
    "agreements:add-party": _versions(lambda w: []),
    "agreements:update-party": _versions(lambda w: [w["draft_version"].parties.first().pk]),
    "agreements:add-signatory": _versions(lambda w: []),
    "agreements:update-signatory": _versions(lambda w: [w["draft_version"].signatories.first().pk]),
    "agreements:add-basis-item": _versions(lambda w: []),
    "agreements:update-basis-item": _versions(lambda w: [w["draft_version"].basis.first().pk]),
    "api:list-agreements": NONE,
    "privacy:dismiss-finding": NONE,
    "privacy:comment": lambda w: [
        ["agreement", w["draft_version"].pk],
        ["lagesbild", w["draft"].pk],
        ["lagesbild", w["frozen"].pk],
    ],
    "api:import-agreement": NONE,
    "api:agreement-document": lambda w: [["0642", 2024], ["0680", 2021]],
    "api:public-agreement-document": lambda w: [["0642", 2024]],
    "set_language": NONE,
    "publicsite:language": lambda w: [["sv"]],  # sets the cookie to the default: no change
    # the admin site's own pages (each registered model's pages: _admin_model_urls)
    "admin:index": NONE,
    "admin:login": NONE,
    "admin:logout": NONE,
    "admin:password_change": NONE,
    "admin:password_change_done": NONE,
    "admin:autocomplete": NONE,
    "admin:jsi18n": NONE,
    "admin:view_on_site": lambda w: [
        [_content_type("lagesbild", "lagesbild"), w["frozen"].pk],
        [_content_type("lagesbild", "intelligencesummary"), w["summary"].pk],
    ],
    "admin:app_list": lambda w: [[label] for label in _admin_app_labels()],
    "admin:auth_user_password_change": lambda w: [[w["users"]["police"].pk]],
}
# Django's view-on-site shortcut would read any object by content type, across kommuner:
# medborgarlofte/urls.py closes it (404), so the tenant guard never needs to be relaxed.
GUARD_LOGS: set[str] = set()
# The pages of each registered model (GET only: the admin's POSTs would change data).
ADMIN_VIEWS = ("changelist", "add", "change", "history", "delete")
# Requested last: they end the session or change the language for the rest of the crawl.
LAST = ["accounts:logout", "admin:logout", "set_language", "publicsite:language"]


def _content_type(app_label, model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get(app_label=app_label, model=model).pk


def _admin_app_labels():
    return sorted({model._meta.app_label for model in admin.site._registry})


def _admin_model_urls(world):
    """Every page of every registered model: changelist (the crawl also searches it), add,
    and the change, history and delete pages of an object (the police user, Mullsjö, …)."""
    pages = {}
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = (
            world["users"]["police"]
            if model._meta.label == "accounts.User"
            else model.objects.filter(code="0642").first()
            if hasattr(model, "code") and model._meta.model_name == "municipality"
            else model.objects.order_by("pk").first()
        )
        for view in ADMIN_VIEWS:
            name = f"{info}_{view}"
            if view in {"changelist", "add"}:
                pages[name] = [reverse(name)]
            elif obj is not None:
                pages[name] = [reverse(name, args=[obj.pk])]
            else:
                pages[name] = []
    return pages


def patterns(resolver=None, namespace=""):
    """(name, route) of every URL pattern of the project, unnamed ones included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None, str(entry.pattern))


# Unnamed patterns: the admin's redirect from <object_id>/ to the change page, and its
# catch-all (both requested below through ADMIN_EXTRA).
UNNAMED = {"<path:object_id>/", "(?P<url>.*)$", "admin/r/<path:rest>"}
ADMIN_EXTRA = ["/admin/accounts/user/{police}/", "/admin/no-such-page/", "/admin/r/1/1/"]


def urls(world) -> list[tuple[str, str]]:
    """(name, address) of every request; POLICE_ONLY_URLS (a regex of names) limits them."""
    only = re.compile(os.environ.get("POLICE_ONLY_URLS", ""))
    out = []
    for name, build in ARGS.items():
        for args in build(world):
            out.append((name, reverse(name, args=args)))
    for name, addresses in _admin_model_urls(world).items():
        out.extend((name, url) for url in addresses)
    police = world["users"]["police"].pk
    out.extend(("admin:extra", u.format(police=police)) for u in ADMIN_EXTRA)
    out = [item for item in out if only.search(item[0])]
    return sorted(
        out, key=lambda item: (item[0] in LAST, LAST.index(item[0]) if item[0] in LAST else 0)
    )


# --- Reading what a response says ----------------------------------------------------------


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)
    if result.returncode != 0:  # not a PDF pdftotext can read (an uploaded file): raw
        return content.decode("utf-8", "replace")
    return result.stdout.decode("utf-8", "replace")


def text_of(response) -> str:
    """Everything a response says: headers, cookies and the body as text (PDF text, the
    members of a zip/XLSX, JSON with its escapes undone)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [f"{k}: {v}" for k, v in response.items()]
    parts += [morsel.OutputString() for morsel in response.cookies.values()]
    if body.startswith(b"%PDF"):
        parts.append(pdf_text(body))
    elif body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    else:
        text = body.decode("utf-8", "replace")
        if "json" in response.get("Content-Type", ""):
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), ensure_ascii=False)
        parts.append(text)
    return "\n".join(parts)


# What differs between two requests for reasons other than the data: tokens, nonces,
# times, random keys, ids.
NOISE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1"),
    (re.compile(r'(csrf[-_]token" content=")[^"]+'), r"\1"),
    (re.compile(r'nonce="[^"]+"'), 'nonce=""'),
    (re.compile(r"(csrftoken|sessionid|messages)=[^;\s]+"), r"\1="),
    (re.compile(r"expires=[^;]+"), "expires="),
    (re.compile(r"^Content-Length: \d+$", re.M), "Content-Length:"),
    (re.compile(r'(composed |"composed_at": ")[0-9T:+-]+'), r"\1"),
    (re.compile(r"^Expires: .*$", re.M), "Expires:"),
    # HTTP validators of public pages: the incident aggregates' ETag holds the minute
    (re.compile(r"^(ETag|Last-Modified): .*$", re.M), r"\1:"),
    (re.compile(r"\d{2}:\d{2}(:\d{2})?(\.\d+)?"), "HH:MM"),  # times of day
    (re.compile(r"kl\. \d{1,2}\.\d{2}"), "kl. HH.MM"),  # the same, as Swedes write them
    (re.compile(r"\b[0-9a-f]{40}\b"), "HEX"),  # TOTP keys in the admin
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID"),
    (re.compile(r'<svg viewBox="[^"]*" class="segno">.*?</svg>', re.S), "QR"),  # TOTP keys
    (re.compile(r"<code>[A-Z2-7]{4}( [A-Z2-7]{4}){7}</code>"), "KEY"),
    # ids of rows the crawl itself created (PostgreSQL's sequences are not rolled back)
    (re.compile(r'value="\d+"'), 'value="ID"'),
    (re.compile(r"(?<=/)\d+(?=/)"), "ID"),
]


def normalise(text: str) -> str:
    for pattern, replacement in NOISE:
        text = pattern.sub(replacement, text)
    return text
