"""Every page of the demo, as each role sees it (issue 16: reflow, axe, Swedish as written).

demo_world() loads the demo (medborgarlofte.agreements.demo.load_demo) and adds a draft
lägesbild and a draft agreement version, so that the editing pages exist too (the demo's
åtgärdsplan is decided: its page shows the decision and the follow-up forms). pages()
fills every URL pattern of tests/police_only_pages.ARGS whose arguments the world has and
returns, per role, the addresses to open: the public patterns anonymously, the rest as
coordinator, police, reader (lokala BRÅ) and reporter. What a role may not open (403, 404, a redirect, a POST
only endpoint) is left out by the visitor, which keeps only 200 HTML pages.
"""

from datetime import date

from django.urls import reverse

from tests.police_only_pages import ARGS
from tests.xss_pages import NOT_HTML, PDF_NAMES

ROLES = {
    "anonymous": None,
    "coordinator": "samordnare",
    "police": "kommunpolis",
    "reader": "bra-ledamot",
    "reporter": "rapportor",
}
# Not pages a person reads: POST endpoints, downloads, the admin, the language switch.
LEFT_OUT_PREFIXES = ("admin:", "api:", "set_language")
LEFT_OUT = {
    "accounts:logout",
    "accounts:extend-session",
    "accounts:regenerate-recovery-codes",
    "accounts:password-reset-confirm",
    "accounts:verify-two-factor",
    "accounts:setup-two-factor",
    "accounts:sso-start",
    "accounts:oidc-callback",
    "accounts:saml-acs",
    "accounts:saml-metadata",
    "privacy:dismiss-finding",
    "dialogues:import-mapping",
    "followup:download-evidence",
}


def demo_world(password="lösenord-för-demo-4417"):
    from medborgarlofte.accounts.models import User
    from medborgarlofte.actionplans.models import ActionPlan
    from medborgarlofte.agreements import services as agreement_services
    from medborgarlofte.agreements.models import Agreement
    from medborgarlofte.demo.loader import load_demo
    from medborgarlofte.dialogues.models import DialogueEntry
    from medborgarlofte.followup.models import Activity
    from medborgarlofte.incidents.models import Incident, MeetingAction, WeeklyMeeting
    from medborgarlofte.kommuner.models import Municipality
    from medborgarlofte.lagesbild import services as lagesbild_services
    from medborgarlofte.lagesbild.models import Lagesbild
    from medborgarlofte.surveys.models import SurveyWave

    load_demo(password)
    users = {role: User.objects.get(username=name) for role, name in ROLES.items() if name}
    mullsjo = Municipality.objects.get(code="0642")
    frozen = Lagesbild.objects.get(municipality=mullsjo, period_start=date(2023, 1, 1))
    draft = lagesbild_services.create_lagesbild(
        mullsjo,
        users["coordinator"],
        title="Lägesbild Mullsjö 2024",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        promise_year=2025,
    )
    problem = lagesbild_services.add_problem(
        draft,
        users["coordinator"],
        title="Skadegörelse vid stationen",
        behaviour="Krossade rutor",
        place="Stationen",
        time="Helger",
        chosen=True,
    )
    agreement = Agreement.objects.get(municipality=mullsjo)
    published = agreement.versions.get(number=1)
    draft_version = agreement_services.start_new_version(agreement, users["coordinator"])
    commitment = draft_version.commitments.filter(indicators__isnull=False).first()
    ref_commitment = published.commitments.filter(indicators__isnull=False).first()
    incident = Incident.objects.filter(municipality=mullsjo).order_by("-date").first()
    year, week, _d = incident.date.isocalendar()
    plan = ActionPlan.objects.filter(municipality=mullsjo).first()  # the demo's, decided
    return {
        "users": users,
        "frozen": frozen,
        "draft": draft,
        "problem": problem,
        "agreement": agreement,
        "published": published,
        "draft_version": draft_version,
        "commitment": commitment,
        "activity": Activity.objects.filter(municipality=mullsjo).first(),
        "indicator": (ref_commitment.ref, 0),
        "incident": incident,
        "place": incident.place,
        "category": incident.category,
        "week": (year, week),
        "meeting": WeeklyMeeting.objects.filter(municipality=mullsjo).first(),
        "action": MeetingAction.objects.filter(municipality=mullsjo).first(),
        "wave": SurveyWave.objects.filter(municipality=mullsjo).first(),
        "entry": DialogueEntry.objects.filter(municipality=mullsjo).first(),
        "programme": mullsjo.safety_programmes.first(),
        "summary": mullsjo.intelligence_summaries.first(),
        "plan": plan,
        "measure": plan.measures.first(),
        "cooperation": mullsjo.cooperation_agreements.first(),
    }


def is_public(name: str) -> bool:
    return name.split(":")[0].endswith("_public") or name.startswith("publicsite:")


def pages(world) -> dict[str, list[tuple[str, str]]]:
    """role -> [(url name, address)], every fillable HTML page once per argument list."""
    out = {role: [] for role in ROLES}
    for name, build in ARGS.items():
        if name.startswith(LEFT_OUT_PREFIXES) or name in LEFT_OUT:
            continue
        if name in NOT_HTML or name in PDF_NAMES:
            continue
        try:
            arg_lists = build(world)
        except (KeyError, AttributeError):  # the demo has nothing to fill it with
            continue
        for args in arg_lists:
            url = reverse(name, args=args)
            if is_public(name) or name.startswith("accounts:"):
                out["anonymous"].append((name, url))
            if not is_public(name) and name != "accounts:login":
                for role in ("coordinator", "police", "reader", "reporter"):
                    out[role].append((name, url))
    return out


def client_for(world, role):
    from django.test import Client

    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def readable_pages(world, roles=None):
    """role -> [(name, url, html)] of the pages each role gets as a 200 HTML page (GET with
    the Django client; a redirect, 403, 404 or 405 is not a page this role reads)."""
    out = {}
    for role, items in pages(world).items():
        if roles and role not in roles:
            continue
        client = client_for(world, role)
        out[role] = []
        for name, url in items:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            if "<html" not in html:  # an htmx fragment
                continue
            out[role].append((name, url, html))
    return out
