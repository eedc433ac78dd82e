"""Every text column of every model: where it is scanned, or why it needs no scan.

privacy/tests/test_field_registry.py enumerates every CharField and TextField of the
project's models, every free-text field of every form class and every importer, and
fails when one is in neither list. Fields with `choices` are safe by construction and
need no entry. docs/privacy.md carries the same table (`python -m
medborgarlofte.privacy.registry` prints it; a test checks the document is up to date).

SCANNED: "app.Model.field" -> the entry points that scan it:
  "form:app.FormClass"         the form (ScannedFormMixin) has a field of the same name
  "form:app.FormClass.name"    … a field with another name
  "form:app.FormClass.*"       … fields it adds at run time (all of them are scanned)
  "own:app.FormClass.name"     the form scans the field in its own flow (OWN_FLOW below)
  "import:app.module"          the importer declares the column in TEXT_COLUMNS, or
                               scans every string but NOT_FREE_TEXT_KEYS
  "public:…"                   the public form: hits are redacted automatically
  "service:app.module.function" the service refuses a text with hits (ValidationError)
SAFE: "app.Model.field" -> why it needs no scan.
`scan_personal_data --database` scans every SCANNED field, and the SAFE ones marked
with DATABASE_SCAN as well (texts that are not free text by design but may still hold
personal data from earlier versions).
"""

SCANNED: dict[str, tuple[str, ...]] = {
    # privacy
    "privacy.PersonalDataDismissal.reason": ("service:privacy.gate.dismiss",),
    # kommuner
    "kommuner.Place.name": ("form:incidents.PlaceForm",),
    # surveys
    "surveys.SurveyThreshold.note": ("form:surveys.ThresholdForm",),
    "surveys.SurveyWave.provider": ("form:surveys.WaveForm", "import:surveys.importing"),
    "surveys.SurveyWave.area": ("form:surveys.WaveForm", "import:surveys.importing"),
    "surveys.SurveyWave.source": ("form:surveys.WaveForm", "import:surveys.importing"),
    "surveys.SurveyValue.question": ("form:surveys.ValueForm", "import:surveys.importing"),
    "surveys.SurveyValue.answer": ("form:surveys.ValueForm", "import:surveys.importing"),
    # dialogues
    "dialogues.DialogueEntry.channel": (
        "form:dialogues.EntryForm",
        "form:dialogues.MappingForm.default_channel",
        "import:dialogues.importing",
    ),
    "dialogues.DialogueEntry.area": (
        "form:dialogues.EntryForm",
        "import:dialogues.importing",
        "public:dialogues.services.submit_public_entry",
    ),
    "dialogues.DialogueEntry.text": (
        "form:dialogues.EntryForm",
        "import:dialogues.importing",
        "public:dialogues.services.submit_public_entry",
    ),
    # incidents
    "incidents.IncidentCategory.name": ("form:incidents.CategoryForm",),
    "incidents.Report.organisation": ("form:incidents.ReportForm",),
    "incidents.Incident.description": ("own:incidents.EventForm.description",),
    "incidents.Incident.action_taken": ("form:incidents.HandleForm",),
    "incidents.WeeklyMeeting.decisions": ("form:incidents.MeetingForm",),
    "incidents.MeetingAction.text": ("form:incidents.ActionForm",),
    # lagesbild
    "lagesbild.Lagesbild.title": ("form:lagesbild.LagesbildForm", "form:lagesbild.DetailsForm"),
    "lagesbild.Lagesbild.analysis": ("form:lagesbild.DetailsForm",),
    "lagesbild.Lagesbild.consequences": ("form:lagesbild.DetailsForm",),
    "lagesbild.Lagesbild.other_information": ("form:lagesbild.DetailsForm",),
    "lagesbild.Consequence.title": ("form:lagesbild.ConsequenceForm",),
    "lagesbild.Consequence.unit": ("form:lagesbild.ConsequenceForm",),
    "lagesbild.Consequence.text": ("form:lagesbild.ConsequenceForm",),
    "lagesbild.Consequence.source": ("form:lagesbild.ConsequenceForm",),
    "lagesbild.LagesbildDecision.body_name": ("form:lagesbild.DecisionForm",),
    "lagesbild.LagesbildDecision.paragraph": ("form:lagesbild.DecisionForm",),
    "lagesbild.LagesbildDecision.reference": ("form:lagesbild.DecisionForm",),
    # actionplans
    "actionplans.ActionPlan.title": (
        "form:actionplans.PlanForm",
        "form:actionplans.PlanDetailsForm",
    ),
    "actionplans.ActionPlan.summary": (
        "form:actionplans.PlanForm",
        "form:actionplans.PlanDetailsForm",
    ),
    "actionplans.ActionPlanDecision.body_name": ("form:actionplans.DecisionForm",),
    "actionplans.ActionPlanDecision.paragraph": ("form:actionplans.DecisionForm",),
    "actionplans.ActionPlanDecision.reference": ("form:actionplans.DecisionForm",),
    "actionplans.Measure.title": ("form:actionplans.MeasureForm",),
    "actionplans.Measure.description": ("form:actionplans.MeasureForm",),
    "actionplans.Measure.responsible": ("form:actionplans.MeasureForm",),
    "actionplans.Measure.partners": ("form:actionplans.MeasureForm",),
    "actionplans.Measure.expected_effect": ("form:actionplans.MeasureForm",),
    "actionplans.Measure.indicator": ("form:actionplans.MeasureForm",),
    "actionplans.MeasureFollowUp.explanation": ("form:actionplans.FollowUpForm",),
    "actionplans.CooperationAgreement.title": ("form:actionplans.CooperationForm",),
    "actionplans.CooperationAgreement.problems": ("form:actionplans.CooperationForm",),
    "actionplans.CooperationAgreement.organisation": ("form:actionplans.CooperationForm",),
    "actionplans.CooperationAgreement.follow_up_method": ("form:actionplans.CooperationForm",),
    "actionplans.Goal.title": ("form:actionplans.GoalForm",),
    "actionplans.Goal.indicator": ("form:actionplans.GoalForm",),
    "actionplans.Goal.baseline": ("form:actionplans.GoalForm",),
    "actionplans.Goal.target": ("form:actionplans.GoalForm",),
    "lagesbild.Problem.title": ("form:lagesbild.ProblemForm",),
    "lagesbild.Problem.behaviour": ("form:lagesbild.ProblemForm",),
    "lagesbild.Problem.place": ("form:lagesbild.ProblemForm",),
    "lagesbild.Problem.time": ("form:lagesbild.ProblemForm",),
    "lagesbild.Problem.affected": ("form:lagesbild.ProblemForm",),
    "lagesbild.Problem.causes": ("form:lagesbild.ProblemForm",),
    "lagesbild.Problem.focus_area": ("form:lagesbild.ProblemForm",),
    "lagesbild.Evidence.label": ("form:lagesbild.ManualEvidenceForm",),
    "lagesbild.RankChange.reason": ("form:lagesbild.MoveForm",),
    "lagesbild.Programme.title": ("form:lagesbild.ProgrammeForm",),
    "lagesbild.IntelligenceSummary.text": ("form:lagesbild.IntelligenceForm",),
    # agreements (published staff texts: also scanned at publication)
    "agreements.AgreementVersion.title": (
        "form:agreements.DetailsForm",
        "import:agreements.importing",
    ),
    "agreements.AgreementVersion.police_area": (
        "form:agreements.DetailsForm",
        "import:agreements.importing",
    ),
    "agreements.AgreementVersion.introduction": (
        "form:agreements.DetailsForm",
        "import:agreements.importing",
    ),
    "agreements.AgreementVersion.effects": (
        "form:agreements.DetailsForm",
        "import:agreements.importing",
    ),
    "agreements.AgreementVersion.follow_up_text": (
        "form:agreements.DetailsForm",
        "import:agreements.importing",
    ),
    "agreements.Party.name": ("form:agreements.PartyForm", "import:agreements.importing"),
    "agreements.BasisItem.description": (
        "form:agreements.BasisItemForm",
        "import:agreements.importing",
    ),
    "agreements.FocusArea.title": (
        "form:agreements.FocusAreaForm",
        "form:agreements.FocusAreaEditForm",
        "import:agreements.importing",
    ),
    "agreements.PriorityCategory.name": (
        "form:agreements.CrimeCategoryForm",
        "form:agreements.CrimeCategoryEditForm",
        "import:agreements.importing",
    ),
    "agreements.Section.heading": ("form:agreements.SectionForm", "import:agreements.importing"),
    "agreements.Commitment.text": ("form:agreements.CommitmentForm", "import:agreements.importing"),
    "agreements.Indicator.title": ("form:agreements.IndicatorForm", "import:agreements.importing"),
    "agreements.Indicator.unit": ("form:agreements.IndicatorForm", "import:agreements.importing"),
    "agreements.Signatory.role": ("form:agreements.SignatoryForm", "import:agreements.importing"),
    # followup
    "followup.Activity.title": ("form:followup.ActivityForm", "import:followup.importing"),
    "followup.Activity.unit": ("form:followup.ActivityForm", "import:followup.importing"),
    "followup.Activity.outcome": ("form:followup.ActivityForm", "import:followup.importing"),
    "followup.Activity.participants": ("form:followup.ActivityForm", "import:followup.importing"),
    "followup.Activity.decisions": ("form:followup.ActivityForm", "import:followup.importing"),
    "followup.Activity.late_reason": ("form:followup.ActivityForm", "import:followup.importing"),
    "followup.IndicatorValue.note": ("form:followup.IndicatorValueForm",),
    "followup.FollowUp.summary": ("form:followup.FollowUpForm",),
    "followup.CommitmentStatus.explanation": ("form:followup.FollowUpForm.*",),
    "followup.Narrative.text": ("form:followup.FollowUpForm.*",),
    # the comments between the parties on a draft (accounts/comments.py)
    "accounts.Comment.text": ("form:privacy.CommentForm",),
}

#: Texts of the published apps that no public output carries.
INTERNAL_TEXTS = {"followup.Activity.late_reason"}  # the reason of a late registration

#: Which texts of SCANNED are published staff texts (shown in docs/privacy.md).
PUBLISHED_TEXTS = {
    key
    for key in SCANNED
    if (key.startswith(("agreements.", "followup.")) and key not in INTERNAL_TEXTS)
    or key in {"lagesbild.Lagesbild.title", "lagesbild.Lagesbild.analysis"}
}

_OFFICIAL = "official reference data (SCB, Polisen), loaded by the program"
_STATS = "official statistics (BRÅ, SCB, Kolada): labels and codes, no free text"
_PROGRAM = "written by the program, not typed by a person"
_FILE = "the name of an uploaded file, shown to staff of the kommun only"
_HASH = "a hash or generated key"
_CODE = "a code or reference checked against a fixed list"
_POLICE = (
    "published by the Police on polisen.se and stored as published (import_police_events); "
    "the database scan covers it"
)

SAFE: dict[str, str] = {
    "kommuner.County.code": _OFFICIAL,
    "kommuner.County.name": _OFFICIAL,
    "kommuner.Municipality.code": _OFFICIAL,
    "kommuner.Municipality.name": _OFFICIAL,
    "kommuner.Municipality.police_area": _OFFICIAL,
    "kommuner.Municipality.police_region": _OFFICIAL,
    "kommuner.Population.source": _STATS,
    "kommuner.Municipality.kommungrupp_source": "the source of SKR's kommungrupper, given by the operator's load_kommungrupper command (no form)",
    "accounts.User.password": "a password hash",
    "accounts.RecoveryCode.code_hash": _HASH,
    "accounts.RecoveryCodeDevice.name": _PROGRAM,
    # Sign-in through an organisation (accounts/sso.py): the operator's configuration of
    # a provider, and what the provider asserts about a staff account.
    "accounts.IdentityProvider.slug": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.name": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.police_areas": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.email_domains": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.issuer": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.client_id": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.secret_variable": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.scopes": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.saml_metadata": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.groups_claim": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.IdentityProvider.mfa_values": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.GroupRole.group": "installation configuration typed by the operator in the admin: no personal data",
    "accounts.ExternalIdentity.subject": (
        "a staff account's opaque identifier at its own organisation's provider, personal "
        "data by design (like the username)"
    ),
    "accounts.ExternalIdentity.deactivation_reason": _PROGRAM,
    "accounts.ProviderMfaDevice.name": _PROGRAM,
    "privacy.PersonalDataDismissal.field": _PROGRAM,
    "privacy.PersonalDataDismissal.kind": _CODE,
    "privacy.PersonalDataDismissal.text_hash": _HASH,
    "privacy.PersonalDataDismissal.hit_hash": _HASH,
    "accounts.User.username": "a staff account: its own user name, personal data by design",
    "accounts.User.first_name": "a staff account: its own name, personal data by design",
    "accounts.User.last_name": "a staff account: its own name, personal data by design",
    "accounts.User.email": "a staff account: its own e-mail address, personal data by design",
    "accounts.AuditEntry.actor_label": "the acting user's name: the audit log must name them",
    "accounts.AuditEntry.action": _PROGRAM,
    "accounts.AuditEntry.object_type": _PROGRAM,
    "accounts.AuditEntry.object_id": _PROGRAM,
    "accounts.AuditEntry.summary": _PROGRAM + " from titles that were scanned when typed",
    "accounts.Comment.document_kind": _CODE,
    "accounts.Comment.anchor_ref": _CODE,
    "accounts.Comment.anchor_label": _PROGRAM + " from titles that were scanned when typed",
    "crimestats.CrimeCategory.slug": _STATS,
    "crimestats.CrimeCategory.code": _STATS,
    "crimestats.CrimeCategory.name": _STATS,
    "crimestats.CrimeCategory.legal_reference": _STATS,
    "crimestats.CrimeCategory.description": _STATS,
    "crimestats.ImportRun.kind": _PROGRAM,
    "crimestats.ImportRun.file_name": _FILE,
    "crimestats.ImportRun.sha256": _HASH,
    "crimestats.ImportRun.user_label": "the importing user's name: the import log must name them",
    "crimestats.AreaTotal.area": _STATS,
    "crimestats.KpiValue.kpi": _STATS,
    "crimestats.KpiValue.status": _STATS,
    "surveys.SurveyImportRun.file_name": _FILE,
    "surveys.SurveyImportRun.sha256": _HASH,
    "surveys.SurveyImportRun.user_label": "the importing user's name",
    "dialogues.DialogueImportRun.file_name": _FILE,
    "dialogues.DialogueImportRun.sha256": _HASH,
    "dialogues.DialogueImportRun.user_label": "the importing user's name",
    "dialogues.DialogueEntry.fingerprint": _HASH,
    "dialogues.EntryTheme.theme": _CODE,
    "dialogues.EntryTheme.area": "a copy of DialogueEntry.area, which is scanned",
    "incidents.IncidentCategory.key": _CODE,
    "incidents.PoliceEvent.name": _POLICE,
    "incidents.PoliceEvent.summary": _POLICE,
    "incidents.PoliceEvent.url": _POLICE,
    "incidents.PoliceEvent.type": _POLICE,
    "incidents.PoliceEvent.location_name": _POLICE,
    "incidents.PoliceEvent.gps": "coordinates of a public police event",
    "incidents.PoliceImportRun.source": "the file name or address the events were read from",
    "incidents.PoliceImportRun.sha256": _HASH,
    "incidents.MeetingAction.responsible_role": _CODE + " (a role, chosen from a list)",
    "incidents.MeetingAction.commitment_ref": _CODE,
    "lagesbild.Evidence.source_app": _CODE,
    "lagesbild.Evidence.source_key": _CODE,
    "lagesbild.RankChange.user_label": "the acting user's name",
    "lagesbild.Programme.url": "a web address, checked as a URL",
    "actionplans.Measure.ref": "a reference made by the service (Å1, Å2 …)",
    "actionplans.Measure.commitment_ref": "a commitment's reference, set by the service",
    "actionplans.Goal.ref": "a reference made by the service (M1, M2 …)",
    "actionplans.GoalCommitment.commitment_ref": "a commitment's reference, from the URL of a listed commitment",
    "agreements.Party.key": _CODE,
    "agreements.FocusArea.key": _CODE,
    "agreements.Commitment.ref": _CODE,
    "agreements.Indicator.source": _CODE + " (a data source such as crime_statistics:…)",
    "agreements.Signatory.name": (
        "the name of the official who signs the agreement: published on purpose"
    ),
    "actionplans.ActionPlanImportRun.file_name": _FILE,
    "actionplans.ActionPlanImportRun.sha256": _HASH,
    "followup.ImportRun.file_name": _FILE,
    "followup.ImportRun.sha256": _HASH,
    "followup.Activity.commitment_ref": _CODE,
    "followup.Activity.import_key": _HASH,
    "followup.Activity.late_period": _CODE,
    "followup.Evidence.stored_name": _PROGRAM,
    "followup.Evidence.original_name": _FILE,
    "followup.Evidence.content_type": _PROGRAM,
    "followup.Evidence.sha256": _HASH,
    "followup.IndicatorValue.commitment_ref": _CODE,
    "followup.IndicatorValue.indicator_title": "a copy of Indicator.title, which is scanned",
    "followup.IndicatorSourceMapping.commitment_ref": _CODE,
    "followup.IndicatorSourceMapping.indicator_title": "a copy of Indicator.title, which is scanned",
    "followup.IndicatorSourceMapping.source": _CODE + " (checked by IndicatorSourceForm)",
    "followup.CommitmentStatus.commitment_ref": _CODE,
    "followup.Narrative.focus_area_key": _CODE,
    "followup.FollowUp.period": _CODE
    + " (a period key of followup/periods.py, from the URL converter)",
    "followup.ReminderSent.kind": _PROGRAM,
    "followup.ReminderSent.key": _PROGRAM,
}

#: SAFE fields the database scan reads anyway (texts from outside or from a person).
DATABASE_SCAN = {
    "incidents.PoliceEvent.name",
    "incidents.PoliceEvent.summary",
    "followup.Evidence.original_name",
    "accounts.AuditEntry.summary",
}

#: Form fields that are free text in form terms but need no scan, with the reason.
#: ("app.FormClass.field"; fields in a ScannedFormMixin's not_scanned need no entry.)
FORM_SAFE: dict[str, str] = {
    "accounts.TwoFactorCodeForm.code": "a one-time code of digits",
    "dialogues.PublicEntryForm.area": (
        "the public form: hits are removed automatically (dialogues.services.submit_public_entry)"
    ),
    "dialogues.PublicEntryForm.text": (
        "the public form: hits are removed automatically (dialogues.services.submit_public_entry)"
    ),
    "dialogues.PublicEntryForm.website": "a honeypot: a form with it filled in is discarded",
    "followup.IndicatorSourceForm.source": _CODE + " (checked in clean_source)",
}

#: Forms that scan in a flow of their own: form -> how.
OWN_FLOW: dict[str, str] = {
    "incidents.EventForm": (
        "EventForm.needs_confirmation() scans the description after validation (the EST "
        "report has a review step); incidents.services.check_description scans it again"
    ),
}

#: Importers (modules that write rows from files) that store no free text, with the reason.
IMPORTER_SAFE: dict[str, str] = {
    "crimestats.importers.bra": _STATS,
    "crimestats.importers.bra_yearly": _STATS,
    "crimestats.importers.kolada": _STATS,
    "crimestats.importers.scb": _STATS,
    "crimestats.importers.tidy": _STATS,
    "crimestats.importers.numbers": "parses numbers only",
    "crimestats.importers.writing": "writes parsed statistics; no free text",
    "incidents.police_events": _POLICE,
}


def markdown_table() -> str:
    """The registry as the Markdown tables of docs/privacy.md."""
    lines = [
        "| Field | Scanned at |",
        "|---|---|",
    ]
    for key in sorted(SCANNED):
        where = ", ".join(f"`{p}`" for p in SCANNED[key])
        if key in PUBLISHED_TEXTS:
            where += " (published staff text: also scanned at publication)"
        lines.append(f"| `{key}` | {where} |")
    lines += ["", "| Field | Not scanned because |", "|---|---|"]
    for key in sorted(SAFE):
        note = " (read by the database scan)" if key in DATABASE_SCAN else ""
        lines.append(f"| `{key}` | {SAFE[key]}{note} |")
    lines += ["", "| Form field, form or importer | Note |", "|---|---|"]
    for key in sorted({**FORM_SAFE, **IMPORTER_SAFE, **OWN_FLOW}):
        reason = {**FORM_SAFE, **IMPORTER_SAFE, **OWN_FLOW}[key]
        lines.append(f"| `{key}` | {reason} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table(), end="")
