"""Property tests: export → import → export gives the same document; re-import changes nothing."""

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medborgarlofte.agreements.exchange import (
    canonical_document,
    dump_document,
    export_version_document,
    load_document,
    validate_document,
)
from medborgarlofte.agreements.importing import import_agreement_document

from .fixtures.documents import row_counts
from .fixtures.strategies import documents

PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English message ids; Swedish is checked separately."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
@PROPERTY
@given(doc=documents(), fmt=st.sampled_from(["yaml", "json"]))
def test_it_round_trips_generated_documents(doc, fmt):
    with transaction.atomic():
        assert validate_document(doc) == []
        assert canonical_document(doc) == doc  # the strategy produces canonical documents
        version = import_agreement_document(doc).version
        exported = export_version_document(version)
        assert exported == doc

        text = dump_document(exported, fmt)
        reloaded = load_document(text.encode("utf-8"), name=f"export.{fmt}")
        assert validate_document(reloaded) == []
        assert canonical_document(reloaded) == exported

        before = row_counts()
        result = import_agreement_document(reloaded)
        assert result.action == "unchanged"
        assert row_counts() == before
        assert export_version_document(version) == exported
        transaction.set_rollback(True)


@pytest.mark.django_db
@PROPERTY
@given(doc=documents())
def test_it_round_trips_documents_without_refs(doc):
    for section in doc["sections"]:
        for commitment in section["commitments"]:
            del commitment["ref"]
    with transaction.atomic():
        version = import_agreement_document(doc).version
        exported = export_version_document(version)
        refs = [c["ref"] for s in exported["sections"] for c in s["commitments"]]
        assert len(refs) == len(set(refs))
        assert import_agreement_document(doc).action == "unchanged"
        assert import_agreement_document(exported).action == "unchanged"
        transaction.set_rollback(True)
