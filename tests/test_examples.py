"""Real published medborgarlöften, encoded in the exchange format, import and render."""

from pathlib import Path

import pytest
from django.urls import reverse

from medborgarlofte.agreements import services
from medborgarlofte.agreements.exchange import export_version_document, load_document
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import PriorityCategory

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "agreements"


def _publish(version, municipality_user, police_user):
    services.approve_agreement(version, municipality_user, "municipality")
    services.approve_agreement(version, police_user, "police")
    version.refresh_from_db()
    return services.publish_agreement(version, police_user)


@pytest.mark.parametrize("filename", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_it_imports_publishes_and_renders_every_example(client, db, filename):
    from conftest import make_user

    path = EXAMPLES / filename
    document = load_document(path.read_bytes(), name=filename)
    code = document["municipality"]
    coordinator = make_user(f"samordnare-{code}", [(code, "coordinator")])
    police = make_user(f"polis-{code}", [(code, "police")])
    version = import_agreement_document(document, user=coordinator).version
    _publish(version, coordinator, police)

    year = int(str(document["period"]["start"])[:4])
    page = client.get(reverse("publicsite:agreement", args=[code, year]))
    assert page.status_code == 200
    html = page.content.decode()
    for section in document["sections"]:
        for commitment in section["commitments"]:
            assert commitment["text"].split("\n")[0][:60] in html.replace("&quot;", '"').replace(
                "&#x27;", "'"
            )
    assert export_version_document(version) == import_again(document, coordinator)


def import_again(document, user):
    result = import_agreement_document(document, user=user)
    assert result.action == "unchanged"
    return export_version_document(result.version)


def test_it_exports_mullsjo_with_19_commitments_3_focus_areas_7_categories(
    db, coordinator, mullsjo_document
):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    exported = export_version_document(version)
    assert sum(len(s["commitments"]) for s in exported["sections"]) == 19
    assert len(exported["sections"]) == 4
    assert len(exported["focus_areas"]) == 3
    assert exported["crime_categories"] == [
        "Skadegörelsebrott",
        "Narkotikabrott",
        "Tillgreppsbrott",
        "Våldsbrott i nära relation",
        "Bedrägeribrott",
        "Stöld genom inbrott",
        "Trafikbrott",
    ]
    # every one of Mullsjö's seven categories is linked to the Brå taxonomy
    assert not PriorityCategory.objects.filter(version=version, category__isnull=True).exists()
    texts = [c["text"] for s in exported["sections"] for c in s["commitments"]]
    assert not any("i\\Iullsjö" in t or " niva " in t or "gärningspersonemas" in t for t in texts)
    assert any("gärningspersonernas" in t for t in texts)
