"""Every URL of the åtgärdsplan and the samverkansöverenskommelse, every persona (the
driver: accounts/tests/access_matrix.py).

"read": coordinator, police and reader; "edit": coordinator and police (reader 403);
"decide": the kommun's coordinators (police and readers 403). Without a role in the
kommun: 404; anonymous visitors are sent to the login page. Refused requests leave the
database unchanged. The POSTs carry no form data: an allowed one may answer with the
form and its errors (200 or 400) or a redirect.
"""

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix, allowed
from medborgarlofte.actionplans.models import (
    ActionPlan,
    ActionPlanImportRun,
    Measure,
    MeasureFollowUp,
)

_ANSWERED = allowed(200, 302, 400)
_OUTSIDERS = {"reporter": 404, "operator": 404, "other_coordinator": 404}
RULES = {
    "read": {"coordinator": allowed(200), "police": allowed(200), "reader": allowed(200),
             **_OUTSIDERS},
    "edit": {"coordinator": _ANSWERED, "police": _ANSWERED, "reader": 403, **_OUTSIDERS},
    "decide": {"coordinator": _ANSWERED, "police": 403, "reader": 403, **_OUTSIDERS},
}  # fmt: skip

ACCESS = {
    "actionplans:municipality": ("get", "code", "read"),
    "actionplans:create-plan": ("post", "code", "edit"),
    "actionplans:import-plan": ("get", "code", "edit"),
    "actionplans:upload-plan": ("post", "code", "edit"),
    "actionplans:plan": ("get", "plan", "read"),
    "actionplans:plan-pdf": ("get", "plan", "read"),
    "actionplans:update-plan": ("post", "plan", "edit"),
    "actionplans:add-measure": ("post", "plan", "edit"),
    "actionplans:update-measure": ("post", "measure", "edit"),
    "actionplans:record-followup": ("post", "measure", "edit"),
    "actionplans:to-commitment": ("post", "measure", "edit"),
    "actionplans:approve": ("post", "plan", "edit"),
    "actionplans:decide": ("post", "plan", "decide"),
    "actionplans:revise": ("post", "plan", "edit"),
    "actionplans:create-cooperation": ("post", "code", "edit"),
    "actionplans:cooperation": ("get", "cooperation", "read"),
    "actionplans:update-cooperation": ("post", "cooperation", "edit"),
    "actionplans:add-goal": ("post", "cooperation", "edit"),
    "actionplans:sign-cooperation": ("post", "cooperation", "edit"),
    "actionplans:commitment-goals": ("post", "commitment-goals", "edit"),
}


@pytest.fixture
def world(plan, cooperation, draft_agreement):
    """A plan, a samverkansöverenskommelse 2024–2027 and a medborgarlöfte 2024 under it."""
    return plan


def _commitment(kommun):
    from medborgarlofte.agreements.models import Commitment

    commitment = Commitment.objects.filter(municipality=kommun).order_by("pk").first()
    return [commitment.version.agreement_id, commitment.ref]


class TestAccess(AccessMatrix):
    namespace = "actionplans"
    table = ACCESS
    rules = RULES
    pdf = frozenset({"actionplans:plan-pdf"})
    slow = frozenset({"actionplans:plan-pdf"})

    def url(self, name, kind, plan, user):
        from medborgarlofte.actionplans.models import CooperationAgreement

        cooperation = CooperationAgreement.objects.get(municipality=plan.municipality)
        args = {
            "code": [plan.municipality.code],
            "plan": [plan.pk],
            "measure": [plan.pk, plan.measures.first().pk],
            "cooperation": [cooperation.pk],
            "commitment-goals": [cooperation.pk, *_commitment(plan.municipality)],
        }[kind]
        return reverse(name, args=args)

    def state(self):
        from medborgarlofte.actionplans.models import CooperationAgreement, Goal, GoalCommitment

        return (
            sorted(CooperationAgreement.objects.values_list("pk", "title", "status", "updated_at")),
            Goal.objects.count(),
            GoalCommitment.objects.count(),
            sorted(ActionPlan.objects.values_list("pk", "title", "status", "updated_at")),
            sorted(Measure.objects.values_list("pk", "title", "commitment_ref")),
            MeasureFollowUp.objects.count(),
            ActionPlanImportRun.objects.count(),
        )
