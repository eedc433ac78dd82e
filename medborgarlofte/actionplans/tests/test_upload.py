"""The upload page of the åtgärdsplan JSON (docs/formats/actionplan.md) and the plan's PDF.

An upload is all or nothing: every problem is listed in Swedish with the file, the JSON
path and the field, and nothing is written; the same file uploaded twice imports once."""

import json
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.actionplans import exchange, services
from medborgarlofte.actionplans.models import ActionPlan, ActionPlanImportRun, Measure
from medborgarlofte.lagesbild.models import Lagesbild, Problem

from .conftest import DECISION


@pytest.fixture
def decided_plan(plan, coordinator, police):
    measure = plan.measures.get()
    services.record_followup(
        measure, coordinator, year=2024, term="t1", status="ongoing", explanation="Två vandringar."
    )
    services.approve_plan(plan, coordinator, "municipality")
    services.approve_plan(plan, police, "police")
    services.decide_plan(plan, coordinator, **DECISION)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def habo(db):
    from conftest import make_user
    from medborgarlofte.kommuner.models import Municipality

    user = make_user("samordnare-habo", [("0643", "coordinator")])
    return Municipality.objects.get(code="0643"), user


def _upload(client, code, content: bytes, name="plan.json", confirm=True):
    data = {"file": SimpleUploadedFile(name, content, content_type="application/json")}
    if confirm:
        data["confirm_personal_data"] = "on"
    return client.post(reverse("actionplans:upload-plan", args=[code]), data)


def _counts():
    return (
        ActionPlan.objects.count(),
        Measure.objects.count(),
        Lagesbild.objects.count(),
        Problem.objects.count(),
        ActionPlanImportRun.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_file_is_imported_once(client, decided_plan, habo):
    kommun, user = habo
    exported = exchange.export_plan(decided_plan)
    exported["measures"][0]["description"] = "Trygghetsvandring från Storgatan 12."
    content = json.dumps(exported, ensure_ascii=False).encode()
    client.force_login(user)

    page = client.get(reverse("actionplans:import-plan", args=[kommun.code]))
    assert page.status_code == 200
    # an address in a text is named by the scanner, and nothing is written until the
    # uploader confirms that it is no personal data
    before = _counts()
    unconfirmed = _upload(client, kommun.code, content, confirm=False)
    text = unconfirmed.content.decode()
    assert unconfirmed.status_code == 400 and _counts() == before
    assert "plan.json, kolumn measures[0].description: " in text
    assert "kan innehålla personuppgifter (gatuadress)" in text
    assert "kolumn title:" not in text  # "Åtgärdsplan 2024–2026" is no address
    response = _upload(client, kommun.code, content)
    imported = ActionPlan.objects.get(municipality=kommun)
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:plan", args=[imported.pk])
    assert imported.status == ActionPlan.Status.DECIDED
    assert imported.measures.get().followups.get().status == "ongoing"
    run = ActionPlanImportRun.objects.get(municipality=kommun)
    assert (run.plan, run.file_name, run.user) == (imported, "plan.json", user)
    assert AuditEntry.objects.filter(action="import_actionplan", actor=user).count() == 1

    before = _counts()
    again = _upload(client, kommun.code, content, name="samma-plan.json")
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert _counts() == before
    shown = client.get(again["Location"]).content.decode()
    assert "samma-plan.json importerades tidigare" in shown


def test_a_file_with_problems_changes_nothing_and_names_every_place(client, decided_plan, habo):
    kommun, user = habo
    data = exchange.export_plan(decided_plan)
    data["title"] = ""
    measure = data["measures"][0]
    measure["starts"] = "2024-13-01"
    measure["hours"] = "många"
    measure["problems"] = ["Klotter i centrum", "Ett problem som saknas"]
    measure["followup"][0]["period"] = "t9"
    data["decision"]["body"] = "riksdagen"
    data["measures"].append({**measure, "ref": "Å1", "starts": "2024-01-01", "hours": 1})
    client.force_login(user)
    before = _counts()

    response = _upload(client, kommun.code, json.dumps(data).encode(), name="trasig.json")

    assert response.status_code == 400
    assert _counts() == before
    problems = [
        " ".join(li.split())
        for li in response.content.decode()
        .split('<ul class="import-problems">')[1]
        .split("</ul>")[0]
        .split("<li>")[1:]
    ]
    text = "\n".join(problems)
    assert "Ingenting sparades" in response.content.decode()
    for expected in (
        "trasig.json, kolumn title: ”Titel”",
        "trasig.json, kolumn measures[0].starts: ”Från”",
        "trasig.json, kolumn measures[0].hours: måste vara ett heltal",
        "kolumn measures[0].problems[1]: problemet ”Ett problem som saknas”",
        "kolumn measures[0].followup[0].period: ”Period”",
        "kolumn measures[1].ref: referensen Å1 används redan av measures[0]",
        "kolumn decision.body: ”Beslutat av”",
    ):
        assert expected in text, text


def test_a_refusal_while_writing_rolls_everything_back(client, decided_plan, habo, police):
    """A decided plan needs a coordinator; a JSON syntax error names its line."""
    kommun, _user = habo  # the police user works in Habo too
    content = json.dumps(exchange.export_plan(decided_plan)).encode()
    client.force_login(police)
    before = _counts()
    response = _upload(client, kommun.code, content)
    assert response.status_code == 400
    assert "kolumn decision: planen är beslutad" in response.content.decode()
    broken = _upload(client, kommun.code, b'{\n  "schema": "medborgarlofte-actionplan/1",\n  x\n}')
    assert broken.status_code == 400
    assert "plan.json, rad 3, kolumn 3: inte giltig JSON" in broken.content.decode()
    assert _counts() == before


def test_the_plan_pdf_holds_the_decision_and_every_measure(client, decided_plan, coordinator):
    client.force_login(coordinator)
    plan_page = client.get(reverse("actionplans:plan", args=[decided_plan.pk])).content.decode()
    url = reverse("actionplans:plan-pdf", args=[decided_plan.pk])
    assert f'href="{url}"' in plan_page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    for expected in (
        "Åtgärdsplan 2024–2026",
        "Kommunstyrelsen",
        "6 februari 2024",
        "§ 12",
        "KS 2024/31",
        "Å1 Trygghetsvandringar i centrum",
        "Klotter i centrum",
        "Kommunledningsförvaltningen",
        "Polisen, fastighetsägare",
        "1 januari 2024 – 31 december 2026",
        "120 timmar",
        "15 000 kr",
        "Färre otrygga platser",
        "Antal åtgärdade platser",
        "Pågår",
        "Två vandringar.",
    ):
        assert expected in text, (expected, text)


def test_a_plan_is_started_from_the_form(client, plan, coordinator):
    """The form's lägesbild is checked among the kommun's (the tenant guard refused the
    model's own lookup among every kommun's)."""
    client.force_login(coordinator)
    response = client.post(
        reverse("actionplans:create-plan", args=["0642"]),
        {
            "new-title": "Brottsförebyggande åtgärder 2025",
            "new-lagesbild": plan.lagesbild.pk,
            "new-first_year": 2025,
            "new-last_year": 2026,
        },
    )
    created = ActionPlan.objects.exclude(pk=plan.pk).get()
    assert response.status_code == 302
    assert (created.lagesbild, created.first_year) == (plan.lagesbild, 2025)


def test_the_command_imports_once_and_names_every_problem(decided_plan, habo, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    kommun, user = habo
    good = tmp_path / "plan.json"
    good.write_text(json.dumps(exchange.export_plan(decided_plan), ensure_ascii=False))
    bad_document = exchange.export_plan(decided_plan)
    bad_document["measures"][0]["starts"] = "inte ett datum"
    bad = tmp_path / "trasig.json"
    bad.write_text(json.dumps(bad_document, ensure_ascii=False))
    before = _counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_actionplan", kommun.code, str(bad), "--user", user.username)
    assert "trasig.json" in str(refused.value) and "measures[0].starts" in str(refused.value)
    assert _counts() == before

    out = StringIO()
    call_command("import_actionplan", kommun.code, str(good), "--user", user.username, stdout=out)
    assert "imported:" in out.getvalue()
    assert ActionPlan.objects.filter(municipality=kommun).count() == 1
    again = StringIO()
    call_command("import_actionplan", kommun.code, str(good), "--user", user.username, stdout=again)
    assert "already imported" in again.getvalue()
    assert ActionPlan.objects.filter(municipality=kommun).count() == 1
