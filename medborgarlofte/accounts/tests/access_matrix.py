"""The shared driver of the access tests: every URL of an app, every persona.

Each app's ``tests/test_access.py`` keeps only what is its own: the table ``ACCESS``
(URL name -> how to call it and who may), how to fill the URL arguments from its
fixtures, and a snapshot of its state. The tests themselves are written once, here::

    ACCESS = {
        "surveys:municipality": ("get", "code", "read"),
        "surveys:delete-wave": ("post", "wave", "write"),
        "surveys:save-value": ("post", "wave", "write", {"question": "Klotter", "value": "1"}),
    }

    class TestAccess(AccessMatrix):
        namespace = "surveys"
        table = ACCESS

        def url(self, name, kind, world, user): ...   # `world` is the module's fixture
        def state(self): ...                          # what a refused request must not change

A row is ``(method, kind of arguments, rule[, POST data])``. The rule is a name in
``RULES`` or a dict persona -> answer for a URL with rules of its own. The POST data is
a dict or a callable taking the world. For each URL and each persona (``anonymous`` and
``personas``) one test checks the answer; after a refusal, and after any GET, it also
checks that ``state()`` did not change. An allowed GET must show its page (200; 302 for
the names in ``redirects``). tests/test_access_matrix.py collects every app's
``ACCESS`` and fails for a named URL without an access decision.

The personas are the fixtures of conftest.py. This module is in the base layer: it imports
no domain app.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Answer:
    """What a persona gets: one of ``statuses``. ``changes``: the request may change the
    state (an allowed request); a refusal must leave it as it was. ``login``: a redirect
    to the login page."""

    statuses: frozenset[int]
    changes: bool = False
    login: bool = False

    def __str__(self) -> str:
        kind = "login" if self.login else "allowed" if self.changes else "refused"
        return f"{kind} {sorted(self.statuses)}"


def allowed(*statuses: int) -> Answer:
    return Answer(frozenset(statuses), changes=True)


def refused(status: int) -> Answer:
    return Answer(frozenset({status}))


OK = allowed(200, 302)
LOGIN = Answer(frozenset({302}), login=True)

# Who is asked (fixtures of conftest.py): Mullsjö's coordinator, the LPO's kommunpolis
# (Mullsjö and Habo), a reader of Mullsjö's council, a reporter of Mullsjö (EST reports),
# the operator (Django staff, no kommun role) and the coordinator of another kommun.
PERSONAS = ("coordinator", "police", "reader", "reporter", "operator", "other_coordinator")

# Without a role in the kommun a page answers 404: its existence is not confirmed. Being
# staff gives no kommun role; reporters only see their own reports.
_OUTSIDERS = {"reporter": 404, "operator": 404, "other_coordinator": 404}

RULES: dict[str, dict[str, Answer | int]] = {
    # the kommun's internal pages: its coordinator, police and readers
    "read": {"coordinator": OK, "police": OK, "reader": OK, **_OUTSIDERS},
    # changes: coordinator and police; a reader gets 403
    "write": {"coordinator": OK, "police": OK, "reader": 403, **_OUTSIDERS},
    # EST reports: reporters too
    "report": {"coordinator": OK, "police": OK, "reader": 403, **_OUTSIDERS, "reporter": OK},
    # what only the reporter who wrote it may open (everyone else 404)
    "own": {"coordinator": 404, "police": 404, "reader": 404, **_OUTSIDERS, "reporter": OK},
    # police-only material (intelligence): everyone else 404, so it is not confirmed
    "police": {"coordinator": 404, "police": OK, "reader": 404, **_OUTSIDERS},
    # the operator's national files: Django staff only, no kommun role suffices
    "operator": {
        "coordinator": 403,
        "police": 403,
        "reader": 403,
        "reporter": 403,
        "operator": OK,
        "other_coordinator": 403,
    },
    # every logged-in user (the page shows only what is theirs)
    "any": dict.fromkeys(PERSONAS, OK),
}


def url_names(resolver=None, namespace: str = "") -> Iterator[str]:
    """Every named URL of the project, with its namespaces ("agreements:dashboard")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _text(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"(streamed)"
    return response.content[:500]


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


class AccessMatrix:
    """Base class of an app's ``TestAccess``: one test per (URL, persona).

    Subclasses set ``namespace`` and ``table`` and implement ``url`` and ``state``; the
    module provides a fixture named ``world`` (what ``url`` builds arguments from).
    """

    namespace: str = ""
    table: dict[str, tuple] = {}
    rules: dict[str, dict[str, Answer | int]] = RULES
    personas: tuple[str, ...] = PERSONAS
    # Anonymous visitors: sent to the login page (the JSON API answers 401 instead).
    anonymous: Answer | int = LOGIN
    # Slow pages (PDFs): an allowed answer is rendered for `slow_personas` only; the
    # refusals, which render nothing, run for every persona.
    slow: frozenset[str] = frozenset()
    slow_personas: tuple[str, ...] = ("coordinator",)
    # PDFs: an allowed answer is a 200 whose body is a PDF.
    pdf: frozenset[str] = frozenset()
    # An allowed GET shows its page (200); these GETs answer with a redirect instead.
    redirects: frozenset[str] = frozenset()

    # --- What each app provides ----------------------------------------------------------

    def url(self, name: str, kind: str, world, user) -> str:
        raise NotImplementedError

    def state(self):
        """A snapshot of what a refused request, and any GET, must not change."""
        raise NotImplementedError

    def data(self, name: str, world) -> dict:
        row = self.table[name]
        data = row[3] if len(row) > 3 else None
        if callable(data):
            data = data(world)
        return data or {}

    def call(self, client, name: str, world, user):
        method, kind = self.table[name][:2]
        url = self.url(name, kind, world, user)
        if method == "get":
            return client.get(url)
        return client.post(url, self.data(name, world))

    # --- The matrix ----------------------------------------------------------------------

    def expected(self, name: str, persona: str) -> Answer:
        rule = self.table[name][2]
        answers = self.rules[rule] if isinstance(rule, str) else rule
        answer = answers.get(persona, self.anonymous if persona == "anonymous" else None)
        if answer is None:
            raise KeyError(f"{name}: the rule {rule!r} has no answer for {persona}")
        return refused(answer) if isinstance(answer, int) else answer

    def cases(self) -> Iterator[tuple[str, str]]:
        # ACCESS_PERSONAS="coordinator,reporter,…" narrows the run (CI's PostgreSQL run:
        # see .ci/run); unset, every persona is asked.
        only = {p for p in os.environ.get("ACCESS_PERSONAS", "").split(",") if p}
        for name in sorted(self.table):
            for persona in ("anonymous", *self.personas):
                if only and persona not in only:
                    continue
                answer = self.expected(name, persona)
                if name in self.slow and answer.changes and persona not in self.slow_personas:
                    continue
                yield name, persona

    def pytest_generate_tests(self, metafunc) -> None:
        if {"name", "persona"} <= set(metafunc.fixturenames):
            cases = list(self.cases())
            metafunc.parametrize(
                ("name", "persona"), cases, ids=[f"{name}-{persona}" for name, persona in cases]
            )

    def test_the_table_covers_every_url_of_the_namespace(self):
        assert self.namespace, "set `namespace` on the access test class"
        names = {n for n in url_names() if n.split(":")[0] == self.namespace}
        assert names - self.table.keys() == set(), "URLs without an access decision"
        assert self.table.keys() - names == set(), "access rows for URLs that no longer exist"

    def test_it_answers_each_persona_as_the_rule_says(self, client, request, world, name, persona):
        expected = self.expected(name, persona)
        user = None
        if persona != "anonymous":
            user = request.getfixturevalue(persona)
            client.force_login(user)
        before = self.state()
        response = self.call(client, name, world, user)
        assert response.status_code in expected.statuses, (
            f"{name} as {persona}: {response.status_code}, expected {expected}",
            _text(response),
        )
        if expected.login:
            assert response["Location"].startswith(reverse("accounts:login"))
        method = self.table[name][0]
        if not expected.changes or method == "get":  # refusals and GETs change nothing
            assert self.state() == before, f"{name} as {persona} changed the state"
        if not expected.changes:
            return
        if method == "get" and expected == OK:
            assert response.status_code == (302 if name in self.redirects else 200), name
        if name in self.pdf:
            assert response.status_code == 200
            assert _body(response).startswith(b"%PDF")
