"""Every URL of the council report, every persona.

ACCESS: name → (method, arguments, who may do it). All are "read": the kommun's
coordinator, police and reader get them; a coordinator of another kommun gets 404 and
anonymous visitors are sent to the login page. Nothing here writes.
"""

import pytest
from django.urls import reverse

ACCESS = {
    "council:report": ("get", "code", "read"),
    "council:report-pdf": ("get", "code", "read"),
    "council:report-docx": ("get", "code", "read"),
    "council:plan-export": ("get", "plan", "read"),
}


def _url(name, plan):
    kind = ACCESS[name][1]
    args = {"code": [plan.municipality.code], "plan": [plan.pk]}[kind]
    return reverse(name, args=args)


def test_it_covers_every_url_of_the_namespace():
    from tests.test_access_matrix import _names

    assert {n for n in _names() if n.startswith("council:")} == ACCESS.keys()


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, plan, name):
    response = client.get(_url(name, plan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_answers_404_to_a_coordinator_of_another_kommun(client, plan, other_coordinator, name):
    client.force_login(other_coordinator)
    assert client.get(_url(name, plan)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "name"),
    [(p, n) for p in ("coordinator", "police", "reader") for n in sorted(ACCESS)],
)
def test_it_lets_coordinator_police_and_reader_read(client, plan, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_url(name, plan))
    assert response.status_code == 200
    expected = {
        "council:report": "text/html",
        "council:report-pdf": "application/pdf",
        "council:report-docx": "application/vnd.openxmlformats",
        "council:plan-export": "application/json",
    }[name]
    assert response["Content-Type"].startswith(expected)
