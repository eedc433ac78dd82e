"""The demo: Mullsjö 2024 (the reference customer) and its neighbours, with demo logins.

`medborgarlofte load_demo` calls load_demo(), which calls each app's own loader
(`<app>/demo.py`) in the order the data builds on itself. This module is the only one
that knows every app; it sits above all layers (docs/decisions/0004-layers.md). Loading
twice changes nothing but the passwords.
"""

import secrets
from dataclasses import dataclass

from django.db import transaction

from medborgarlofte.accounts.models import Membership, User
from medborgarlofte.actionplans.demo import load_actionplans_demo, load_cooperation_demo
from medborgarlofte.agreements.demo import (
    demo_commitment_ref,
    link_demo_problems,
    load_agreements_demo,
)
from medborgarlofte.crimestats.demo import load_crimestats_demo
from medborgarlofte.dialogues.demo import load_dialogues_demo
from medborgarlofte.followup.demo import load_followup_demo
from medborgarlofte.incidents.demo import load_incidents_demo
from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.lagesbild.demo import load_lagesbild_demo
from medborgarlofte.surveys.demo import load_surveys_demo

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


@dataclass
class DemoResult:
    password: str
    users: list[tuple[str, str]]
    agreements: list[str]


def ensure_user(username, memberships, password) -> User:
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
def load_demo(password: str | None = None) -> DemoResult:
    password = password or secrets.token_urlsafe(12)
    users = {name: ensure_user(name, memberships, password) for name, memberships, _d in DEMO_USERS}
    coordinator, police = users["samordnare"], users["kommunpolis"]
    # the published agreements (Mullsjö 2024, Habo 2024, Jönköping 2021)
    loaded = load_agreements_demo(users, police)
    # crimestats: Exempeldata for the statistics pages (Mullsjö 2021–2024)
    load_crimestats_demo()
    # surveys and dialogues: Mullsjö survey waves 2022-2023 and the November 2023
    # dialogues (Exempeldata); loaded before the lägesbild, which summarises them
    load_surveys_demo(coordinator)
    load_dialogues_demo(coordinator)
    # lägesbild: Mullsjö's joint lägesbild 2023 (Exempeldata) → the 2024 promise
    link_demo_problems(load_lagesbild_demo())
    # incidents (EST): example incidents, police events sample, reporter login; the
    # example meeting actions name a commitment of Mullsjö 2024 by its reference
    extra_users = load_incidents_demo(password, users, commitment_ref=demo_commitment_ref())
    # follow-up: a year of activities, the weekly EST meetings of 2024 that serve "dela
    # lägesbild veckovis" (entered once: follow-up counts them, 47 of 52 weeks) and the
    # published follow-ups T1–T3 + year
    load_followup_demo(coordinator, police)
    # åtgärdsplan: Mullsjö's plan 2024–2026 from the lägesbild (decided by kommunstyrelsen
    # in lagesbild/demo.py), decided by kommunfullmäktige, measures linked to commitments
    load_actionplans_demo()
    # samverkansöverenskommelse 2024–2027, signed; the 2024 commitments name their goals
    load_cooperation_demo()
    return DemoResult(
        password=password,
        users=[(name, description) for name, _m, description in DEMO_USERS] + extra_users,
        agreements=loaded,
    )
