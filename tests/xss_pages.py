"""Every page of the product that renders the fields of tests/xss_world.py.

pages() is built from the URL resolver and the access tables (tests/test_access_matrix.py
and the apps' ACCESS), so a new view is not forgotten: test_xss_escaping fails for a URL
name that is neither visited nor skipped with a reason (SKIPPED). Internal pages are
opened as coordinator and police (police-only pages as police, the reporter's own pages
as the reporter), public pages anonymously, and the admin (every registered model: list,
change page, history) as a superuser. A few pages are opened again with a payload in the
query parameters they echo.
"""

from dataclasses import dataclass

from django.urls import reverse

from tests.xss_world import YEAR, World

PDF_NAMES = {
    "followup:report-pdf",
    "followup_public:report-pdf",
    "incidents:week-pdf",
    "incidents:tertial-pdf",
    "lagesbild:document-pdf",
    "lagesbild:version-pdf",
    "council:report-pdf",
    "actionplans:plan-pdf",
}
# Responses that are not HTML: the sweep checks their type, the browser does not open them.
NOT_HTML = {
    "accounts:my-data",
    "agreements:download-version",
    "api:agreement-document",
    "api:list-agreements",
    "api:public-agreement-document",
    "council:plan-export",
    "crimestats:download-summary",
    "followup:download-evidence",
    "followup_public:api-followup",
    "followup_public:api-index",
    "followup_public:feed",
    "followup_public:national-feed",
    "followup_public:open-data-csv",
    "followup_public:open-data-json",
    "lagesbild:export",
    "publicsite:agreement-download",
}
# URL names that are not visited, with the reason (everything else GET is visited).
SKIPPED = {
    **dict.fromkeys(
        PDF_NAMES, "PDF (WeasyPrint runs no script); test_xss_escaping checks one with pdftotext"
    ),
    "publicsite:language": "sets the language cookie and redirects: no page of its own",
    "council:report-docx": (
        "DOCX (no script); council/tests/test_report.py reads it back with python-docx"
    ),
    "publicsite:agreement-document": (
        "PDF and DOCX (no script); publicsite/tests/test_documents.py reads both back and "
        "checks that free texts pass public_text"
    ),
    "accounts:sso-start": "redirects to the organisation's identity provider: no page of its own",
    "accounts:oidc-callback": (
        "answers the identity provider's redirect; accounts/tests/test_sso_oidc.py drives it "
        "with the local test provider"
    ),
    "accounts:saml-acs": "POST only: the identity provider's answer (test_sso_saml.py)",
    "accounts:saml-metadata": "our SAML metadata (XML of addresses and keys, no stored text)",
    "accounts:logout": "POST only",
    "accounts:extend-session": "POST only",
    "accounts:regenerate-recovery-codes": "POST only",
    "set_language": "POST only",
}


@dataclass
class Page:
    name: str
    url: str
    personas: tuple
    html: bool = True


def _internal_args(world: World, name: str, kind) -> list[list]:
    """URL arguments for a (namespace, kind of arguments) of the access tables."""
    if isinstance(kind, list):  # crimestats' ACCESS gives the arguments themselves
        return [kind]
    o, code = world.objects, world.kommun.code
    namespace = name.split(":")[0]
    agreement = world.agreement
    by_kind = {
        ("agreements", "none"): [[]],
        ("agreements", "code"): [[code]],
        ("agreements", "agreement"): [[agreement.pk]],
        ("agreements", "version"): [[agreement.pk, 1], [agreement.pk, world.draft.number]],
        ("agreements", "download"): [
            [agreement.pk, world.draft.number, "yaml"],
            [agreement.pk, world.draft.number, "json"],
        ],
        ("dialogues", "code"): [[code]],
        ("dialogues", "entry"): [[code, o["entry"].pk]],
        ("dialogues", "token"): [[code, o["upload_token"]]],  # the coordinator's upload
        ("followup", "none"): [[]],
        ("followup", "code"): [[code]],
        ("followup", "year"): [[code, YEAR]],
        ("followup", "evidence"): [[code, YEAR, o["evidence"].pk]],
        ("followup", "indicator"): [
            [code, YEAR, "m24-17", o["indicator"].position],
            [code, YEAR, "m24-18", 0],
        ],
        ("followup", "period"): [[code, YEAR, "t1"], [code, YEAR, "t2"]],
        ("incidents", "none"): [[]],
        ("incidents", "code"): [[code]],
        ("incidents", "own"): [[i.pk] for i in o["incidents"][:2]],
        ("incidents", "incident"): [[code, i.pk] for i in o["incidents"]],
        ("incidents", "place"): [[code, o["places"][0].pk]],
        ("incidents", "week"): [[code, *o["week"]]],
        ("incidents", "tertial"): [[code, *o["tertial"]]],
        ("lagesbild", "code"): [[code]],
        ("lagesbild", "lagesbild"): [[o["lagesbild"].pk]],
        ("lagesbild", "version"): [[o["lagesbild"].pk, o["lagesbild_version"].number]],
        ("actionplans", "code"): [[code]],
        ("actionplans", "plan"): [[o["actionplan"].pk], [o["actionplan_draft"].pk]],
        ("actionplans", "cooperation"): [[o["cooperation"].pk]],
        ("council", "code"): [[code]],
        ("council", "plan"): [[o["actionplan"].pk], [o["actionplan_draft"].pk]],
        ("surveys", "code"): [[code]],
        ("surveys", "wave"): [[code, wave.pk] for wave in o["waves"]],
        ("api", "none"): [[]],
        ("api", "year"): [[code, YEAR]],
    }
    return by_kind.get((namespace, kind), [])  # a new kind: the name shows as forgotten


def _public_args(world: World) -> dict:
    code, o = world.kommun.code, world.objects
    return {
        "publicsite:home": [[]],
        "publicsite:accessibility": [[]],
        "publicsite:municipality": [[code]],
        "publicsite:agreement": [[code, YEAR]],
        "publicsite:agreement-version": [[code, YEAR, 1]],
        "publicsite:agreement-download": [[code, YEAR, "yaml"], [code, YEAR, "json"]],
        "crimestats_public:statistics": [[code]],
        "dialogues_public:form": [[code]],
        "dialogues_public:thanks": [[code]],
        "incidents_public:week": [[code, *o["week"]]],
        "incidents_public:tertial": [[code, *o["tertial"]]],
        "lagesbild_public:chain": [[code, YEAR]],
        "followup_public:citizen-page": [[code, YEAR]],
        "followup_public:open-data-csv": [[code, YEAR]],
        "followup_public:open-data-json": [[code, YEAR]],
        "followup_public:feed": [[code]],
        "followup_public:national-feed": [[]],
        "followup_public:api-index": [[]],
        "followup_public:api-followup": [[code, YEAR]],
        "accounts:login": [[]],
        "accounts:organisation-login": [[]],
        "accounts:password-reset": [[]],
        "accounts:password-reset-done": [[]],
        "accounts:password-reset-confirm": [["MQ", "set-password"]],
        "accounts:password-reset-complete": [[]],
    }


# Pages of the accounts namespace that need a logged-in user.
ACCOUNT_PAGES = {
    "accounts:my-data",
    "accounts:setup-two-factor",
    "accounts:verify-two-factor",
    "accounts:password-change",
    "accounts:password-change-done",
}


def access_rows() -> dict:
    """name → (method, kind of arguments, rule) from every access table."""
    from tests.test_access_matrix import API_TABLE, TABLE, _app_tables

    rows = {}
    for name, row in {**TABLE, **API_TABLE, **_app_tables()}.items():
        rows[name] = (row[0], row[1], row[2] if len(row) > 2 else None)
    return rows


def _personas(name: str, rule) -> tuple:
    if name.startswith("crimestats:national-"):  # the operator's national files
        return ("admin",)
    if name.startswith("incidents:"):
        return {
            "own": ("reporter",),
            "any": ("coordinator", "police", "reporter"),
            "report": ("coordinator", "reporter"),
        }.get(rule, ("coordinator", "police"))
    if name.startswith("lagesbild:") and rule == "police":
        return ("police",)
    if name.startswith("api:") or name == "dialogues:import-mapping":  # the upload is hers
        return ("coordinator",)
    return ("coordinator", "police")


def pages(world: World) -> list[Page]:
    """Every GET page of the product for the personas that may see it (see SKIPPED)."""
    from medborgarlofte.accounts.tests.access_matrix import url_names as _names

    rows, public = access_rows(), _public_args(world)
    found = []
    for name in sorted(set(_names())):
        if name in SKIPPED or name.startswith("admin:"):
            continue
        if name in rows:
            method, kind, rule = rows[name]
            if method != "get":
                continue
            args_list, personas = _internal_args(world, name, kind), _personas(name, rule)
        elif name in ACCOUNT_PAGES:
            args_list, personas = [[]], ("coordinator",)
        else:  # public; a name not in _public_args is reported by test_xss_escaping
            args_list, personas = public.get(name, []), ("anonymous",)
        for args in args_list:
            found.append(Page(name, reverse(name, args=args), personas, name not in NOT_HTML))
    return found + _reflected(world) + admin_pages(world)


def _reflected(world: World) -> list[Page]:
    """Pages that echo a query parameter, with a payload in it."""
    from urllib.parse import urlencode

    p, code = world.payloads, world.kommun.code
    payload = '"><script>window.__xss=1;alert(1)</script>'

    def q(name, args, personas, **params):
        return Page(name, reverse(name, args=args) + "?" + urlencode(params), personas)

    staff = ("coordinator",)
    return [
        q("publicsite:home", [], ("anonymous",), q=world.kommun.name),
        q("publicsite:home", [], ("anonymous",), q=payload),
        q("accounts:login", [], ("anonymous",), next="javascript:window.__xss=1;alert(1)"),
        q("accounts:login", [], ("anonymous",), next=payload),
        q("accounts:organisation-login", [], ("anonymous",), org=world.kommun.name, next=payload),
        q("accounts:organisation-login", [], ("anonymous",), org=payload),
        q("accounts:setup-two-factor", [], staff, next="javascript:window.__xss=1;alert(1)"),
        q("crimestats:statistics", [code], staff, year_from=payload, year_to=payload),
        q("crimestats_public:statistics", [code], ("anonymous",), year_from=payload),
        q("incidents:review", [code], staff, status=payload, sida=payload),
        q("dialogues:municipality", [code], staff, fran=payload, till=payload),
        q("dialogues_public:thanks", [code], ("anonymous",), removed=payload),
        q("surveys:municipality", [code], staff, q=p.corpus[0]),
    ]


def admin_pages(world: World) -> list[Page]:
    """Index, and for every registered model its list, one object's change page and history."""
    from django.contrib import admin

    found = [Page("admin:index", reverse("admin:index"), ("admin",))]
    preferred = {"kommuner.municipality": world.kommun, "kommuner.county": world.kommun.county}
    for model, _model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower
    ):
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        found.append(Page(f"{prefix}_changelist", reverse(f"{prefix}_changelist"), ("admin",)))
        objects = _admin_objects(world, model, preferred.get(opts.label_lower))
        for obj in objects:
            for view in ("change", "history"):
                found.append(
                    Page(f"{prefix}_{view}", reverse(f"{prefix}_{view}", args=[obj.pk]), ("admin",))
                )
    return found


def _admin_objects(world: World, model, preferred) -> list:
    from medborgarlofte.accounts.models import User

    if model is User:
        return list(world.users.values())
    if preferred is not None:
        return [preferred]
    if hasattr(model, "municipality"):
        return list(model.objects.filter(municipality=world.kommun)[:2])
    return list(model.objects.all()[:1])
