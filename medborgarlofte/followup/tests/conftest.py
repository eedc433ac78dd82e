import pytest

from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.importing import import_agreement_document


@pytest.fixture
def published(db, coordinator, police, mullsjo_document):
    """Mullsjö 2024, approved by both parties and published."""
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, coordinator)
    return version.agreement


@pytest.fixture
def demo(published, coordinator, police):
    from medborgarlofte.followup.demo import load_followup_demo

    load_followup_demo(coordinator, police)
    return published


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
