"""The audit log in plain Swedish sentences (issue 16): "Anna Andersson (samordnare)
godkände version 4 av medborgarlöftet 2024 för kommunen" instead of "approve_agreement ·
agreementversion 4".

Every action code written to the log (audit.record(action=…), in any app) has a sentence
here; a test (accounts/tests/test_audit_sentences.py) reads the code base and fails when
one is missing. An unknown code (an old entry, say) still reads as a sentence.

The sentences have these placeholders:
  %(actor)s   who: the user's name and role in the kommun ("Anna (samordnare)"), or
              "Systemet" for entries written by the system;
  %(what)s    the object in words: what an app registered for its object type
              (register_objects, e.g. "version 4 av medborgarlöftet 2024"), otherwise the
              entry's summary in quotation marks (a title, a commitment's text);
  %(party)s   the party an approval was for ("polisen", "kommunen").
The sentences live in this module, the lowest layer that every app writing the log may
import; the object phrases come from the apps (they know their models).
"""

from collections.abc import Callable

from django.apps import apps
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MUNICIPALITY, POLICE, Membership, Role

# The approval actions are written as <verb>_<noun>… for each ApprovableDocument noun.
_APPROVAL_WORDS = {
    "agreement": gettext_lazy("the medborgarlöfte %(what)s"),
    "lagesbild": gettext_lazy("the situational picture %(what)s"),
    "followup": gettext_lazy("the follow-up %(what)s"),
    "actionplan": gettext_lazy("the action plan %(what)s"),
    "cooperation": gettext_lazy("the cooperation agreement %(what)s"),
}
_APPROVAL_SENTENCES = {
    "approve_{}": gettext_lazy("%(actor)s approved %(document)s for %(party)s."),
    "agree_{}": gettext_lazy(
        "%(actor)s gave the second approval: %(document)s is approved by both parties."
    ),
    "withdraw_{}_approval": gettext_lazy(
        "%(actor)s withdrew the approval of %(document)s for %(party)s."
    ),
    "clear_{}_approvals": gettext_lazy(
        "%(actor)s changed %(document)s, which cleared its approvals."
    ),
}

SENTENCES = {
    # Accounts
    "enable_two_factor": gettext_lazy("%(actor)s turned on two-step login."),
    "regenerate_recovery_codes": gettext_lazy("%(actor)s made new recovery codes."),
    "use_recovery_code": gettext_lazy("%(actor)s logged in with a recovery code."),
    "sso_sign_in": gettext_lazy("%(actor)s logged in through their organisation (%(what)s)."),
    "sso_refused": gettext_lazy(
        "An organisation's sign-in service vouched for a person without a role here "
        "(%(what)s): no account was made."
    ),
    "sso_roles": gettext_lazy(
        "%(actor)s had their roles updated by their organisation's sign-in service (%(what)s)."
    ),
    "sso_deactivate": gettext_lazy(
        "%(actor)s deactivated an account that came from an organisation (%(what)s)."
    ),
    "set_todo_digest": gettext_lazy("%(actor)s changed the setting for the to-do e-mail."),
    "add_comment": gettext_lazy("%(actor)s commented on %(what)s."),
    "reply_comment": gettext_lazy("%(actor)s answered a comment on %(what)s."),
    "resolve_comment": gettext_lazy("%(actor)s marked a comment on %(what)s as resolved."),
    "reopen_comment": gettext_lazy("%(actor)s reopened a comment on %(what)s."),
    "read_intelligence": gettext_lazy("%(actor)s read a police intelligence summary."),
    # Agreements
    "import_agreement": gettext_lazy("%(actor)s imported the medborgarlöfte %(what)s."),
    "replace_version_content": gettext_lazy(
        "%(actor)s replaced the content of %(what)s with an imported document."
    ),
    "copy_agreement": gettext_lazy(
        "%(actor)s created next year's medborgarlöfte as a copy: %(what)s."
    ),
    "backfill_demo_problem_links": gettext_lazy(
        "%(actor)s linked the example commitments to problems of the situational picture."
    ),
    "update_agreement_details": gettext_lazy(
        "%(actor)s changed the title, introduction, effects or follow-up plan of %(what)s."
    ),
    "start_new_version": gettext_lazy("%(actor)s started a new version: %(what)s."),
    "publish_agreement": gettext_lazy("%(actor)s published %(what)s."),
    "apply_lagesbild_priorities": gettext_lazy(
        "%(actor)s took the priorities of the situational picture into %(what)s."
    ),
    "add_focus_area": gettext_lazy("%(actor)s added the focus area %(what)s."),
    "update_focus_area": gettext_lazy("%(actor)s renamed the focus area %(what)s."),
    "delete_focus_area": gettext_lazy("%(actor)s removed the focus area %(what)s."),
    "add_crime_category": gettext_lazy("%(actor)s added the priority crime category %(what)s."),
    "update_crime_category": gettext_lazy(
        "%(actor)s renamed the priority crime category %(what)s."
    ),
    "delete_crime_category": gettext_lazy(
        "%(actor)s removed the priority crime category %(what)s."
    ),
    "add_party": gettext_lazy("%(actor)s added the party %(what)s."),
    "update_party": gettext_lazy("%(actor)s changed the party %(what)s."),
    "delete_party": gettext_lazy("%(actor)s removed the party %(what)s."),
    "add_signatory": gettext_lazy("%(actor)s added the signatory %(what)s."),
    "update_signatory": gettext_lazy("%(actor)s changed the signatory %(what)s."),
    "delete_signatory": gettext_lazy("%(actor)s removed the signatory %(what)s."),
    "add_basis_item": gettext_lazy("%(actor)s added %(what)s to the basis."),
    "update_basis_item": gettext_lazy("%(actor)s changed the basis item %(what)s."),
    "delete_basis_item": gettext_lazy("%(actor)s removed %(what)s from the basis."),
    "add_section": gettext_lazy("%(actor)s added the section %(what)s."),
    "update_section": gettext_lazy("%(actor)s changed the section %(what)s."),
    "delete_section": gettext_lazy("%(actor)s removed the section %(what)s."),
    "move_section": gettext_lazy("%(actor)s moved the section %(what)s."),
    "add_commitment": gettext_lazy("%(actor)s added the commitment %(what)s."),
    "update_commitment": gettext_lazy("%(actor)s changed the commitment %(what)s."),
    "delete_commitment": gettext_lazy("%(actor)s removed the commitment %(what)s."),
    "move_commitment": gettext_lazy("%(actor)s moved the commitment %(what)s."),
    "drop_commitment": gettext_lazy(
        "%(actor)s dropped the commitment %(what)s from next year's draft."
    ),
    "link_commitment_problems": gettext_lazy(
        "%(actor)s linked the commitment %(what)s to problems of the situational picture."
    ),
    "add_indicator": gettext_lazy("%(actor)s added the indicator %(what)s."),
    "delete_indicator": gettext_lazy("%(actor)s removed the indicator %(what)s."),
    "restore_indicator": gettext_lazy("%(actor)s undid the removal of the indicator %(what)s."),
    "restore_commitment": gettext_lazy("%(actor)s undid the removal of the commitment %(what)s."),
    "restore_focus_area": gettext_lazy("%(actor)s undid the removal of the focus area %(what)s."),
    "restore_crime_category": gettext_lazy(
        "%(actor)s undid the removal of the priority crime category %(what)s."
    ),
    # Follow-up
    "hold_example_meetings": gettext_lazy(
        "%(actor)s loaded example weekly EST meetings (Exempeldata)."
    ),
    "load_followup_demo": gettext_lazy("%(actor)s loaded example data for the follow-up."),
    "import_activities": gettext_lazy("%(actor)s imported activities from the file %(what)s."),
    "log_activity": gettext_lazy("%(actor)s logged the activity %(what)s."),
    "log_late_activity": gettext_lazy(
        "%(actor)s logged the activity %(what)s late, in a period already published."
    ),
    "delete_activity": gettext_lazy("%(actor)s removed the activity %(what)s."),
    "record_indicator_value": gettext_lazy("%(actor)s entered an indicator value: %(what)s."),
    "set_indicator_source": gettext_lazy("%(actor)s chose the source of the indicator %(what)s."),
    "save_followup": gettext_lazy("%(actor)s saved the follow-up %(what)s."),
    "publish_followup": gettext_lazy("%(actor)s published the follow-up %(what)s."),
    # Both the follow-up (a file as evidence) and the lägesbild (evidence of a problem)
    "add_evidence": gettext_lazy("%(actor)s added the evidence %(what)s."),
    # Lägesbild
    "create_lagesbild": gettext_lazy("%(actor)s created the situational picture %(what)s."),
    "update_lagesbild": gettext_lazy("%(actor)s changed the situational picture %(what)s."),
    "sort_problems_by_score": gettext_lazy(
        "%(actor)s sorted the problems of %(what)s by their score."
    ),
    "freeze_lagesbild": gettext_lazy(
        "%(actor)s froze %(what)s after both parties had approved it."
    ),
    "add_problem": gettext_lazy("%(actor)s added the problem %(what)s."),
    "update_problem": gettext_lazy("%(actor)s changed the problem %(what)s."),
    "delete_problem": gettext_lazy("%(actor)s removed the problem %(what)s."),
    "move_problem": gettext_lazy("%(actor)s moved a problem in the ranking: %(what)s."),
    "delete_evidence": gettext_lazy("%(actor)s removed the evidence %(what)s."),
    "add_programme": gettext_lazy("%(actor)s added the programme %(what)s."),
    "delete_programme": gettext_lazy("%(actor)s removed the programme %(what)s."),
    "create_intelligence": gettext_lazy("%(actor)s wrote a police intelligence summary."),
    "update_intelligence": gettext_lazy("%(actor)s changed a police intelligence summary."),
    "add_consequence": gettext_lazy("%(actor)s added the consequence %(what)s."),
    "delete_consequence": gettext_lazy("%(actor)s removed the consequence %(what)s."),
    "decide_lagesbild_version": gettext_lazy(
        "%(actor)s recorded the kommun's decision on the situational picture %(what)s."
    ),
    # Åtgärdsplan and samverkansöverenskommelse
    "create_actionplan": gettext_lazy("%(actor)s created the action plan %(what)s."),
    "update_actionplan": gettext_lazy("%(actor)s changed the action plan %(what)s."),
    "revise_actionplan": gettext_lazy("%(actor)s started a revision of the action plan: %(what)s."),
    "decide_actionplan": gettext_lazy(
        "%(actor)s recorded the kommun's decision on the action plan %(what)s."
    ),
    "import_actionplan": gettext_lazy("%(actor)s imported the action plan %(what)s from a file."),
    "add_measure": gettext_lazy("%(actor)s added the measure %(what)s."),
    "update_measure": gettext_lazy("%(actor)s changed the measure %(what)s."),
    "delete_measure": gettext_lazy("%(actor)s removed the measure %(what)s."),
    "record_measure_followup": gettext_lazy("%(actor)s followed up the measure %(what)s."),
    "measure_to_commitment": gettext_lazy(
        "%(actor)s made a measure a commitment of the medborgarlöfte: %(what)s."
    ),
    "link_measure_commitment": gettext_lazy(
        "%(actor)s linked a measure to a commitment of the medborgarlöfte: %(what)s."
    ),
    "create_cooperation": gettext_lazy("%(actor)s created the cooperation agreement %(what)s."),
    "update_cooperation": gettext_lazy("%(actor)s changed the cooperation agreement %(what)s."),
    "add_goal": gettext_lazy("%(actor)s added the goal %(what)s."),
    "set_commitment_goals": gettext_lazy(
        "%(actor)s chose the goals a commitment serves: %(what)s."
    ),
    # Incidents (EST)
    "load_incidents_demo": gettext_lazy("%(actor)s loaded example incidents."),
    "submit_incident_report": gettext_lazy("%(actor)s submitted an incident report: %(what)s."),
    "correct_incident": gettext_lazy("%(actor)s corrected an incident."),
    "handle_incident": gettext_lazy("%(actor)s handled an incident."),
    "merge_incident": gettext_lazy("%(actor)s merged two reports of the same incident."),
    "add_place": gettext_lazy("%(actor)s added a place to the list of places."),
    "update_place": gettext_lazy("%(actor)s changed a place in the list of places."),
    "add_incident_category": gettext_lazy("%(actor)s added an incident category."),
    "toggle_incident_category": gettext_lazy("%(actor)s turned an incident category on or off."),
    "record_weekly_meeting": gettext_lazy("%(actor)s recorded a weekly meeting."),
    "add_meeting_action": gettext_lazy("%(actor)s added an action of a weekly meeting."),
    "close_meeting_action": gettext_lazy("%(actor)s closed an action of a weekly meeting."),
    # Dialogues
    "dialogue.create": gettext_lazy("%(actor)s wrote down a dialogue entry: %(what)s."),
    "dialogue.public-submit": gettext_lazy(
        "A resident sent a dialogue entry through the public form: %(what)s."
    ),
    "dialogue.themes": gettext_lazy("%(actor)s edited the themes of a dialogue entry."),
    "dialogue.delete": gettext_lazy("%(actor)s removed a dialogue entry: %(what)s."),
    "dialogue.import": gettext_lazy("%(actor)s imported dialogue entries: %(what)s."),
    # Surveys
    "survey.import": gettext_lazy("%(actor)s imported survey results: %(what)s."),
    "survey.create-wave": gettext_lazy("%(actor)s added the survey wave %(what)s."),
    "survey.update-wave": gettext_lazy("%(actor)s changed the survey wave %(what)s."),
    "survey.delete-wave": gettext_lazy("%(actor)s removed the survey wave %(what)s."),
    "survey.save-value": gettext_lazy("%(actor)s entered a survey result: %(what)s."),
    "survey.delete-value": gettext_lazy("%(actor)s removed a survey result: %(what)s."),
    "survey.restore-value": gettext_lazy(
        "%(actor)s undid the removal of a survey result: %(what)s."
    ),
    "survey.thresholds": gettext_lazy("%(actor)s changed the survey thresholds: %(what)s."),
    # Statistics imports
    "import-crime-statistics": gettext_lazy("%(actor)s imported crime statistics."),
    "import-kolada": gettext_lazy("%(actor)s imported key figures from Kolada."),
    "import-population": gettext_lazy("%(actor)s imported population figures."),
    # Privacy
    "dismiss_personal_data_finding": gettext_lazy(
        "%(actor)s judged a possible piece of personal data not to be one."
    ),
    "retention.dispose": gettext_lazy(
        "%(actor)s disposed of data past its retention period: %(what)s."
    ),
}

# Moves up or down (the direction is in the entry's `after`).
DIRECTED = {
    ("move_section", "up"): gettext_lazy("%(actor)s moved the section %(what)s up."),
    ("move_section", "down"): gettext_lazy("%(actor)s moved the section %(what)s down."),
    ("move_commitment", "up"): gettext_lazy("%(actor)s moved the commitment %(what)s up."),
    ("move_commitment", "down"): gettext_lazy("%(actor)s moved the commitment %(what)s down."),
}

GENERIC = gettext_lazy("%(actor)s made a change (%(action)s): %(what)s.")
GENERIC_NO_OBJECT = gettext_lazy("%(actor)s made a change (%(action)s).")

# Short role nouns for "Anna (samordnare)".
ROLE_NOUNS = {
    Role.COORDINATOR: gettext_lazy("coordinator"),
    Role.POLICE: gettext_lazy("kommunpolis"),
    Role.READER: gettext_lazy("council member"),
    Role.REPORTER: gettext_lazy("incident reporter"),
}
PARTY_WORDS = {POLICE: gettext_lazy("the police"), MUNICIPALITY: gettext_lazy("the municipality")}

# object_type → resolver(ids, municipality) → {id: phrase}; see register_objects.
_OBJECT_PHRASES: dict[str, Callable] = {}


def register_objects(object_type: str, resolver: Callable) -> None:
    """An app says how its objects read in the log: resolver(object ids (str), kommun)
    returns {id: phrase} for those it finds, e.g. {"12": "version 4 av medborgarlöftet
    2024"}. Used for %(what)s."""
    _OBJECT_PHRASES[object_type] = resolver


def _approval_sentence(action: str):
    for pattern, sentence in _APPROVAL_SENTENCES.items():
        for noun, document in _APPROVAL_WORDS.items():
            if action == pattern.format(noun):
                return sentence, document
    return None, None


def known_actions() -> set[str]:
    """Every action code with a sentence of its own."""
    approval = {pattern.format(noun) for pattern in _APPROVAL_SENTENCES for noun in _APPROVAL_WORDS}
    return set(SENTENCES) | approval


def _quoted(text: str) -> str:
    return _("“%(text)s”") % {"text": Truncator(text).chars(120)}


def _model_noun(object_type: str) -> str:
    for model in apps.get_models():
        if model._meta.model_name == object_type:
            return str(model._meta.verbose_name)
    return ""


def _what(entry, phrases: dict) -> str:
    found = phrases.get((entry.object_type, entry.object_id))
    if found:
        return found
    if entry.summary:
        return _quoted(entry.summary)
    return _model_noun(entry.object_type)


def _party(entry) -> str:
    for data in (entry.after, entry.before):
        if isinstance(data, dict) and data.get("party") in PARTY_WORDS:
            return str(PARTY_WORDS[data["party"]])
    return _("one party")


def actor_phrase(entry, roles: dict) -> str:
    """ "Anna Andersson (samordnare)"; the stored label when the user is gone; "Systemet"."""
    user = entry.actor
    if user is None:
        return _("The system") if entry.actor_label in ("", "system") else entry.actor_label
    name = user.get_full_name() or user.get_username()
    held = roles.get(user.pk, set())
    nouns = [str(ROLE_NOUNS.get(r, r)) for r in Role.values if r in held]
    return f"{name} ({', '.join(nouns)})" if nouns else name


def sentence(entry, *, roles: dict | None = None, phrases: dict | None = None) -> str:
    """The entry as one sentence in the active language."""
    roles, phrases = roles or {}, phrases or {}
    values = {"actor": actor_phrase(entry, roles), "what": _what(entry, phrases)}
    template, document = _approval_sentence(entry.action)
    if template is not None:
        registered = (entry.object_type, entry.object_id) in phrases
        # A registered phrase names the document ("version 4 av medborgarlöftet 2024").
        values["document"] = values["what"] if registered else document % values
        values["party"] = _party(entry)
    else:
        direction = entry.after.get("direction") if isinstance(entry.after, dict) else None
        template = DIRECTED.get((entry.action, direction)) or SENTENCES.get(entry.action)
    if template is None:
        values["action"] = entry.action.replace("_", " ").replace("-", " ").replace(".", " ")
        template = GENERIC if values["what"] else GENERIC_NO_OBJECT
    text = str(template) % values
    return text[0].upper() + text[1:] if text else text


def sentences_for(entries, municipality) -> list[dict]:
    """[{"entry", "sentence"}] for the log page of one kommun: the actors' roles and the
    registered object phrases are fetched once for all entries."""
    entries = list(entries)
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    roles: dict = {}
    for user_id, role in Membership.objects.filter(
        municipality=municipality, user_id__in=actor_ids
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    phrases: dict = {}
    by_type: dict[str, set] = {}
    for entry in entries:
        if entry.object_type in _OBJECT_PHRASES and entry.object_id:
            by_type.setdefault(entry.object_type, set()).add(entry.object_id)
    for object_type, ids in by_type.items():
        found = _OBJECT_PHRASES[object_type](sorted(ids), municipality)
        phrases.update({(object_type, str(k)): v for k, v in found.items()})
    return [{"entry": e, "sentence": sentence(e, roles=roles, phrases=phrases)} for e in entries]
