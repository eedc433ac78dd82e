"""The readable diff on the pages (issue 18): the version history, the version page where
the parties approve, and the public "what changed" note of a new published version."""

import re

import pytest
from django.urls import reverse

from medborgarlofte.agreements import services
from medborgarlofte.agreements.importing import import_agreement_document

# Raw keys and values of the exchange format that must never reach a reader.
RAW = re.compile(
    r"\b(kind|direction|increase|decrease|output|process|effect|owners|cadence|level|ref|"
    r"monthly|weekly|operational|tactical|strategic|s\d+-c\d+)\s*:",
    re.I,
)


@pytest.fixture
def published(db, coordinator, police, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    services.approve_agreement(version, coordinator)
    services.approve_agreement(version, police)
    version.refresh_from_db()
    return services.publish_agreement(version, coordinator)


def _change_a_commitment(published, coordinator):
    """Version 2: the first commitment's text and cadence change, one owner is added."""
    new = services.start_new_version(published.agreement, coordinator)
    commitment = new.commitments.order_by("section__position", "position").first()
    old_text = commitment.text
    current = commitment.owner_parties()
    owners = current[:1] if len(current) > 1 else list(new.parties.all())
    services.update_commitment(
        commitment,
        coordinator,
        text=old_text.rstrip(".") + " tillsammans med skolan.",
        owners=owners,
        level=commitment.level,
        cadence="weekly" if commitment.cadence != "weekly" else "monthly",
    )
    new.refresh_from_db()
    return new, commitment


def _changes_html(html: str, anchor: str) -> str:
    start = html.index(anchor)
    end = html.index("</ul>\n</details>" if "details" in anchor else "</section>", start)
    return html[start:end]


def test_the_history_page_shows_the_changed_words_in_swedish(client, coordinator, published):
    _change_a_commitment(published, coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("agreements:history", args=[published.agreement_id])).content
    html = html.decode()
    assert '<ins class="diff-added"><span class="visually-hidden">[tillagt: </span>' in html
    assert "tillsammans med skolan" in html
    assert "Löfte ändrat under" in html
    assert "Intervall: " in html and "Ansvariga: " in html
    assert "1 ändring jämfört med versionen före:" in html
    assert not RAW.search(html.split('<ul class="changes">', 1)[1].split("</ul>\n")[0])


def test_the_version_page_shows_what_changed_since_the_published_version(
    client, coordinator, police, published
):
    draft, _commitment = _change_a_commitment(published, coordinator)
    client.force_login(police)
    page = client.get(reverse("agreements:version", args=[draft.agreement_id, draft.number]))
    html = page.content.decode()
    assert 'id="changes-since-published"' in html
    assert "Vad som ändrats sedan den publicerade versionen 1: 1 ändring" in html
    assert "tillsammans med skolan" in html
    # the police can approve: the changes are shown open
    assert '<details id="changes-since-published" class="changes-since" open>' in html
    # a published version shows no such box
    page = client.get(reverse("agreements:version", args=[published.agreement_id, 1]))
    assert 'id="changes-since-published"' not in page.content.decode()


def test_the_public_page_of_a_new_version_says_what_changed(client, coordinator, police, published):
    draft, _commitment = _change_a_commitment(published, coordinator)
    services.approve_agreement(draft, coordinator)
    services.approve_agreement(draft, police)
    draft.refresh_from_db()
    services.publish_agreement(draft, coordinator)
    year = published.agreement.year
    html = client.get(reverse("publicsite:agreement", args=["0642", year])).content.decode()
    assert 'id="changes-heading"' in html
    assert "Vad som ändrades i den här versionen" in html
    section = html[html.index('id="changes-heading"') : html.index('id="history-heading"')]
    assert "tillsammans med skolan" in section
    assert "<ins" in section and "Intervall: " in section
    assert not RAW.search(section)
    # the first version has no note
    first = client.get(
        reverse("publicsite:agreement-version", args=["0642", year, 1])
    ).content.decode()
    assert 'id="changes-heading"' not in first


def test_the_public_note_shows_only_public_content(client, coordinator, police, published):
    """Extensions (which the public page never shows) and comments stay out of the note."""
    from medborgarlofte.agreements.models import AgreementVersion

    new = services.start_new_version(published.agreement, coordinator)
    AgreementVersion.objects.filter(pk=new.pk).update(extensions={"x-intern": "HEMLIGT"})
    services.approve_agreement(new, coordinator)
    services.approve_agreement(new, police)
    new.refresh_from_db()
    services.publish_agreement(new, coordinator)
    html = client.get(
        reverse("publicsite:agreement", args=["0642", published.agreement.year])
    ).content.decode()
    section = html[html.index('id="changes-heading"') : html.index('id="history-heading"')]
    assert "HEMLIGT" not in html
    assert "extensions" not in section
    assert "Den publicerade texten ändrades inte." in section
