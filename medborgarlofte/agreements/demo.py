"""The demo: Mullsjö 2024 (the reference customer) and its neighbours, with demo logins.

`medborgarlofte load_demo` calls load_demo(); later features add their demo data here,
so the demo is extended in one place. Loading twice changes nothing but the passwords.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from medborgarlofte.accounts import audit
from medborgarlofte.accounts.models import Membership, User
from medborgarlofte.kommuner.models import Municipality

from . import services
from .exchange import load_document
from .importing import import_agreement_document
from .models import AgreementVersion, Status

EXAMPLES_DIR = Path(settings.BASE_DIR) / "examples" / "agreements"

# username, memberships (kommunkod, role), description shown when the demo starts
DEMO_USERS = [
    ("samordnare", [("0642", "coordinator")], "Brottsförebyggande samordnare, Mullsjö kommun"),
    (
        "kommunpolis",
        [("0642", "police"), ("0643", "police"), ("0680", "police")],
        "Kommunpolis, LPO Södra Vätterbygden (Mullsjö, Habo, Jönköping)",
    ),
    ("bra-ledamot", [("0642", "reader")], "Ledamot i lokala BRÅ, Mullsjö (läsbehörighet)"),
    ("samordnare-habo", [("0643", "coordinator")], "Samordnare, Habo kommun"),
    ("samordnare-jonkoping", [("0680", "coordinator")], "Samordnare, Jönköpings kommun"),
]

DEMO_AGREEMENTS = [
    ("mullsjo-2024.yaml", "samordnare"),
    ("habo-2024.yaml", "samordnare-habo"),
    ("jonkoping-2021.yaml", "samordnare-jonkoping"),
]


@dataclass
class DemoResult:
    password: str
    users: list[tuple[str, str]]
    agreements: list[str]


def _ensure_user(username, memberships, password) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@demo.medborgarlofte.invalid"}
    )
    user.set_password(password)
    user.save()
    for code, role in memberships:
        Membership.objects.get_or_create(
            user=user, municipality=Municipality.objects.get(code=code), role=role
        )
    return user


@transaction.atomic
def backfill_demo_problem_links(version: AgreementVersion, links: dict[str, list]) -> int:
    """Demo only: link problems to the commitments of an already published version, by
    commitment ref. Published versions are otherwise frozen (link_commitment_problems
    refuses them); the demo's agreement is imported already published from the exchange
    format, which carries no problems. Idempotent; audit-logged as the system."""
    added = 0
    for commitment in version.commitments.all():
        wanted = links.get(commitment.ref, [])
        missing = [p for p in wanted if not commitment.problems.filter(pk=p.pk).exists()]
        if missing:
            commitment.problems.add(*missing)
            added += len(missing)
    if added:
        audit.record(
            user=None,
            action="backfill_demo_problem_links",
            obj=version,
            summary=f"{version.title} v{version.number}: {added} links",
        )
    return added


@transaction.atomic
def load_demo(password: str | None = None) -> DemoResult:
    password = password or secrets.token_urlsafe(12)
    users = {
        name: _ensure_user(name, memberships, password) for name, memberships, _d in DEMO_USERS
    }
    police = users["kommunpolis"]
    loaded = []
    for filename, coordinator_name in DEMO_AGREEMENTS:
        path = EXAMPLES_DIR / filename
        if not path.exists():
            continue
        document = load_document(path.read_bytes(), name=filename)
        result = import_agreement_document(document, user=users[coordinator_name], name=filename)
        version = result.version
        if version.status != Status.PUBLISHED:
            approved = set(version.approvals.values_list("party_kind", flat=True))
            if "municipality" not in approved:
                services.approve_agreement(version, users[coordinator_name], "municipality")
            if "police" not in approved:
                services.approve_agreement(version, police, "police")
            version.refresh_from_db()
            services.publish_agreement(version, users[coordinator_name])
        loaded.append(f"{version.title} (v{version.number})")
    # --- crimestats: Exempeldata for the statistics pages (Mullsjö 2021–2024) ---
    from medborgarlofte.crimestats.demo import load_crimestats_demo

    load_crimestats_demo()
    # --- end crimestats ---
    # --- surveys and dialogues: Mullsjö survey waves 2022-2023 and the November 2023
    # dialogues (Exempeldata); loaded before the lägesbild, which summarises them ---
    from medborgarlofte.dialogues.demo import load_dialogues_demo
    from medborgarlofte.surveys.demo import load_surveys_demo

    load_surveys_demo(users["samordnare"])
    load_dialogues_demo(users["samordnare"])
    # --- end surveys and dialogues ---
    # --- lagesbild: Mullsjö's joint lägesbild 2023 (Exempeldata) → the 2024 promise ---
    from medborgarlofte.lagesbild.demo import load_lagesbild_demo

    links = load_lagesbild_demo()
    mullsjo_2024 = (
        AgreementVersion.objects.filter(
            municipality__code="0642", agreement__period_start__year=2024, status=Status.PUBLISHED
        )
        .order_by("-number")
        .first()
    )
    if mullsjo_2024 is not None:
        backfill_demo_problem_links(mullsjo_2024, links)
    # --- end lagesbild ---
    # --- incidents (EST): example incidents, police events sample, reporter login ---
    from medborgarlofte.incidents.demo import load_incidents_demo

    extra_users = load_incidents_demo(password, users)
    # --- end incidents ---
    # --- followup: a year of activities and the published follow-ups T1–T3 + year (Exempeldata) ---
    from medborgarlofte.followup.demo import load_followup_demo

    load_followup_demo(users["samordnare"], users["kommunpolis"])
    # --- end followup ---
    return DemoResult(
        password=password,
        users=[(name, description) for name, _m, description in DEMO_USERS] + extra_users,
        agreements=loaded,
    )
