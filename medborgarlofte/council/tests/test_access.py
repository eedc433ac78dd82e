"""Every URL of the council report, every persona (the driver: accounts/tests/access_matrix.py).

All are "read": the kommun's coordinator, police and reader get them; without a role in
the kommun 404; anonymous visitors are sent to the login page. Nothing here writes.
"""

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix
from medborgarlofte.actionplans.models import ActionPlan

ACCESS = {
    "council:report": ("get", "code", "read"),
    "council:report-pdf": ("get", "code", "read"),
    "council:report-docx": ("get", "code", "read"),
    "council:plan-export": ("get", "plan", "read"),
}
CONTENT_TYPES = {
    "council:report": "text/html",
    "council:report-pdf": "application/pdf",
    "council:report-docx": "application/vnd.openxmlformats",
    "council:plan-export": "application/json",
}


@pytest.fixture
def world(plan):
    return plan


class TestAccess(AccessMatrix):
    namespace = "council"
    table = ACCESS
    pdf = frozenset({"council:report-pdf"})
    slow = frozenset({"council:report-pdf", "council:report-docx"})

    def url(self, name, kind, plan, user):
        args = {"code": [plan.municipality.code], "plan": [plan.pk]}[kind]
        return reverse(name, args=args)

    def state(self):
        return sorted(ActionPlan.objects.values_list("pk", "status", "updated_at"))


@pytest.mark.parametrize("persona", ["coordinator", "police", "reader"])
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_answer_has_its_content_type(client, plan, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(TestAccess().url(name, ACCESS[name][1], plan, None))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(CONTENT_TYPES[name])
