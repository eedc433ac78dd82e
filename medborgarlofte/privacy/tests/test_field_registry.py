"""Every text that reaches storage is scanned, or declared safe with a reason.

Three enumerations, each against privacy/registry.py:
- every CharField/TextField of the project's models (choices excepted),
- every free-text field of every form class in the apps' forms.py,
- every importer module (importing.py, importers/*, police_events.py).
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.db import models

import medborgarlofte
from medborgarlofte.privacy import registry
from medborgarlofte.privacy.fields import ScannedFormMixin, is_free_text

ROOT = Path(medborgarlofte.__file__).parent


def model_text_fields() -> list[str]:
    keys = []
    for model in apps.get_models():
        if not model.__module__.startswith("medborgarlofte."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                keys.append(f"{model._meta.app_label}.{model.__name__}.{field.name}")
    return keys


def form_classes() -> dict[str, type]:
    found = {}
    for path in sorted(ROOT.glob("*/forms.py")):
        module = importlib.import_module(f"medborgarlofte.{path.parent.name}.forms")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                found[f"{path.parent.name}.{name}"] = cls
    return found


def importer_modules() -> list[str]:
    names = [f"{p.parent.name}.importing" for p in ROOT.glob("*/importing.py")]
    for package in ROOT.glob("*/importers/__init__.py"):
        for info in pkgutil.iter_modules([str(package.parent)]):
            names.append(f"{package.parent.parent.name}.importers.{info.name}")
    names += [f"{p.parent.name}.police_events" for p in ROOT.glob("*/police_events.py")]
    return sorted(names)


def scanned_by_form(form_key: str, field: str) -> bool:
    cls = form_classes()[form_key]
    if not issubclass(cls, ScannedFormMixin):
        return False
    if field == "*":  # fields added at run time: all free text is scanned
        return not cls.not_scanned
    return field in cls.base_fields and field not in cls.not_scanned


def scanned_by_importer(module_name: str, column: str) -> bool:
    module = importlib.import_module(f"medborgarlofte.{module_name}")
    source = inspect.getsource(module)
    if hasattr(module, "TEXT_COLUMNS"):
        return column in module.TEXT_COLUMNS and "scan_row(" in source
    if hasattr(module, "NOT_FREE_TEXT_KEYS"):
        return column not in module.NOT_FREE_TEXT_KEYS and "scan(" in source
    return False


def test_every_model_text_field_is_scanned_or_declared_safe():
    fields = model_text_fields()
    missing = [k for k in fields if k not in registry.SCANNED and k not in registry.SAFE]
    assert not missing, (
        "Text fields that reach storage unscanned: scan them at every entry point "
        f"(privacy/fields.py) and list them in registry.SCANNED, or declare them in "
        f"registry.SAFE with a reason: {missing}"
    )
    both = set(registry.SCANNED) & set(registry.SAFE)
    assert not both, f"Declared both scanned and safe: {sorted(both)}"
    stale = sorted((set(registry.SCANNED) | set(registry.SAFE)) - set(fields))
    assert not stale, f"Registry entries for fields that do not exist: {stale}"
    assert all(reason.strip() for reason in registry.SAFE.values())


def test_every_scanned_entry_point_really_scans():
    wrong = []
    for key, points in registry.SCANNED.items():
        field = key.rsplit(".", 1)[1]
        assert points, key
        for point in points:
            kind, _, target = point.partition(":")
            if kind == "form":
                parts = target.split(".")
                form_key = ".".join(parts[:2])
                ok = scanned_by_form(form_key, parts[2] if len(parts) > 2 else field)
            elif kind == "own":
                ok = ".".join(target.split(".")[:2]) in registry.OWN_FLOW
            elif kind == "import":
                ok = scanned_by_importer(target, field)
            elif kind in ("public", "service"):
                module, function = target.rsplit(".", 1)
                ok = hasattr(importlib.import_module(f"medborgarlofte.{module}"), function)
            else:
                ok = False
            if not ok:
                wrong.append(f"{key}: {point}")
    assert not wrong, f"Entry points that do not scan the field they claim: {wrong}"


def test_every_free_text_form_field_is_scanned_or_declared_safe():
    unscanned = []
    for key, cls in form_classes().items():
        if key in registry.OWN_FLOW:
            continue
        not_scanned = getattr(cls, "not_scanned", {})
        assert all(str(reason).strip() for reason in not_scanned.values()), key
        for name, field in cls.base_fields.items():
            if not is_free_text(field):
                continue
            if issubclass(cls, ScannedFormMixin) and name not in not_scanned:
                continue
            if issubclass(cls, ScannedFormMixin) and name in not_scanned:
                continue  # declared with a reason in the form itself
            if f"{key}.{name}" in registry.FORM_SAFE:
                continue
            unscanned.append(f"{key}.{name}")
    assert not unscanned, (
        "Free-text form fields without the scanner: add ScannedFormMixin to the form "
        f"(privacy/fields.py), or declare them in registry.FORM_SAFE: {unscanned}"
    )


def test_every_importer_scans_its_text_columns_or_is_declared_safe():
    undeclared = []
    for name in importer_modules():
        if name in registry.IMPORTER_SAFE:
            continue
        module = importlib.import_module(f"medborgarlofte.{name}")
        source = inspect.getsource(module)
        if hasattr(module, "TEXT_COLUMNS") and "scan_row(" in source:
            continue
        if hasattr(module, "NOT_FREE_TEXT_KEYS") and "scan(" in source:
            continue
        undeclared.append(name)
    assert not undeclared, (
        "Importers that neither declare and scan TEXT_COLUMNS (privacy.fields.scan_row) "
        f"nor are declared in registry.IMPORTER_SAFE: {undeclared}"
    )
    stale = set(registry.IMPORTER_SAFE) - set(importer_modules())
    assert not stale, stale


@pytest.mark.parametrize("name", ["followup.importing", "dialogues.importing", "surveys.importing"])
def test_importer_text_columns_are_model_fields_in_the_registry(name):
    module = importlib.import_module(f"medborgarlofte.{name}")
    scanned_fields = {key.rsplit(".", 1)[1] for key in registry.SCANNED}
    assert set(module.TEXT_COLUMNS) <= scanned_fields


def test_docs_privacy_carries_the_registry_table():
    text = (ROOT.parent / "docs" / "privacy.md").read_text(encoding="utf-8")
    assert registry.markdown_table() in text, (
        "docs/privacy.md is out of date: paste the output of "
        "`python -m medborgarlofte.privacy.registry` into it"
    )
