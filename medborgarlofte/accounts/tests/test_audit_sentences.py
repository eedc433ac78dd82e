"""The audit log in plain Swedish sentences (accounts/audit_sentences.py, issue 16)."""

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from medborgarlofte.accounts import audit
from medborgarlofte.accounts.audit_sentences import known_actions, sentence, sentences_for
from medborgarlofte.accounts.models import ApprovableDocument, AuditEntry

PACKAGE = Path(__file__).resolve().parents[2]


def _approval_nouns() -> set[str]:
    from django.apps import apps

    return {
        model.APPROVAL_NOUN
        for model in apps.get_models()
        if issubclass(model, ApprovableDocument) and model.APPROVAL_NOUN
    }


def _module_of(path: Path):
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    return importlib.import_module(".".join(relative.parts))


def _constant(name: str, tree, path: Path):
    """The value of a name: a constant of the module, or one it imports (at any depth)."""
    module = _module_of(path)
    if hasattr(module, name):
        return getattr(module, name)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
            package = module.__name__.rsplit(".", node.level)[0] if node.level else ""
            source = ".".join(p for p in (package, node.module) if p)
            return getattr(importlib.import_module(source), name, None)
    return None


def _string_arguments(tree, function: str, position: int) -> set[str]:
    """The literal strings passed as argument `position` to calls of `function`."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function:
            arg = node.args[position] if len(node.args) > position else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def _enclosing_function(tree, target):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(n is target for n in ast.walk(node)):
            return node
    return None


def _values(node, tree, path) -> set[str]:
    """Every action code an `action=` expression can take; fails on one it cannot read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(node.body, tree, path) | _values(node.orelse, tree, path)
    if isinstance(node, ast.Name):
        value = _constant(node.id, tree, path)
        if isinstance(value, str):
            return {value}
    if isinstance(node, ast.JoinedStr):
        results = {""}
        for part in node.values:
            if isinstance(part, ast.Constant):
                results = {r + part.value for r in results}
                continue
            source = ast.unparse(part.value)
            if "APPROVAL_NOUN" in source or source == "noun":
                choices = _approval_nouns()
            else:  # a parameter of the enclosing function: the literals it is called with
                function = _enclosing_function(tree, node)
                params = [a.arg for a in function.args.args] if function else []
                assert source in params, f"{path}: cannot read the action {ast.unparse(node)}"
                choices = _string_arguments(tree, function.name, params.index(source))
            assert choices, f"{path}: no values for {source} in {ast.unparse(node)}"
            results = {r + choice for r in results for choice in choices}
        return results
    raise AssertionError(f"{path}:{node.lineno}: cannot read the action {ast.unparse(node)}")


def actions_in_code() -> dict[str, str]:
    """{action code: where} for every audit.record(action=…) in the code base."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            is_record = (
                isinstance(func, ast.Attribute)
                and func.attr == "record"
                and getattr(func.value, "id", None) == "audit"
            ) or (isinstance(func, ast.Name) and func.id == "record")
            if not is_record:
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    for action in _values(keyword.value, tree, path):
                        found[action] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_every_action_written_in_the_code_has_a_sentence():
    found = actions_in_code()
    assert len(found) > 90  # the scan sees the code base
    assert "approve_agreement" in found and "import-kolada" in found
    missing = {action: where for action, where in found.items() if action not in known_actions()}
    assert not missing, f"add a sentence to accounts/audit_sentences.py for: {missing}"


def _entry(user, action, **fields):
    return audit.record(user=user, action=action, **fields)


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def test_an_approval_reads_as_a_sentence_with_name_role_and_version(
    swedish, coordinator, mullsjo, mullsjo_document
):
    from medborgarlofte.agreements.importing import import_agreement_document

    coordinator.first_name, coordinator.last_name = "Anna", "Andersson"
    coordinator.save()
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    _entry(coordinator, "approve_agreement", obj=version, after={"party": "municipality"})
    entries = AuditEntry.objects.filter(municipality=mullsjo, action="approve_agreement")
    (row,) = sentences_for(entries, mullsjo)
    assert row["sentence"] == (
        "Anna Andersson (samordnare) godkände version 1 av medborgarlöftet 2024 för kommunen."
    )


def test_sentences_without_a_registered_object_quote_the_summary(swedish, police, mullsjo):
    police.first_name = "Per"
    police.save()
    entry = _entry(police, "add_commitment", municipality=mullsjo, summary="Hundsök vid skolan")
    (row,) = sentences_for([entry], mullsjo)
    assert row["sentence"] == "Per (kommunpolis) lade till löftet ”Hundsök vid skolan”."


def test_the_system_and_unknown_actions_still_read_as_sentences(swedish, mullsjo):
    entry = _entry(None, "load_incidents_demo", municipality=mullsjo)
    assert sentence(entry) == "Systemet läste in exempelhändelser."
    unknown = _entry(None, "frobnicate_widget", municipality=mullsjo, summary="Något")
    assert sentence(unknown) == "Systemet gjorde en ändring (frobnicate widget): ”Något”."


def test_the_audit_log_page_shows_sentences_and_swedish_times(client, coordinator, mullsjo):
    _entry(coordinator, "add_focus_area", municipality=mullsjo, summary="Trygg skolväg")
    client.force_login(coordinator)
    html = client.get(reverse("agreements:audit-log", args=["0642"])).content.decode()
    assert "Samordnare (samordnare) lade till fokusområdet ”Trygg skolväg”." in html
    assert re.search(r"\d{1,2} [a-zé]+ \d{4} kl\. \d{2}\.\d{2}", html)
    assert "add_focus_area ·" not in html
    # the stored codes are kept for auditors, folded away under the sentence
    assert '<details class="audit-details"><summary>Uppgifterna som de sparats</summary>' in html


def test_a_move_says_which_way_in_swedish(swedish, mullsjo):
    entry = _entry(
        None, "move_commitment", municipality=mullsjo, summary="Hundsök", after={"direction": "up"}
    )
    assert sentence(entry) == "Systemet flyttade upp löftet ”Hundsök”."
