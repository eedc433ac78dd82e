import json

from django.urls import reverse

from medborgarlofte.accounts import audit


def test_it_exports_what_is_stored_about_the_account(client, police, mullsjo):
    audit.record(
        user=police,
        action="approve_agreement",
        municipality=mullsjo,
        object_type="agreementversion",
    )
    client.force_login(police)
    response = client.get(reverse("accounts:my-data"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "kommunpolis"
    assert {r["kommunkod"] for r in data["roles"]} == {"0642", "0643"}
    assert [a["action"] for a in data["actions_in_audit_log"]] == ["approve_agreement"]


def test_it_needs_a_login(client, db):
    response = client.get(reverse("accounts:my-data"))
    assert response.status_code == 302
