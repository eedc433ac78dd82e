"""Every write of the incidents app: one transaction each, with an audit entry.

Descriptions pass the personal-data scanner here, not only in the form: a description
with hits is refused (PersonalDataFound) unless the user confirmed that what was found
is not personal data. Nothing found is ever stored silently.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit
from medborgarlofte.kommuner.models import Place
from medborgarlofte.privacy.scanner import scan

from . import commitments
from .models import (
    DEFAULT_CATEGORIES,
    Incident,
    IncidentCategory,
    MeetingAction,
    Report,
    WeeklyMeeting,
    generalise_point,
)

INCIDENT_FIELDS = [
    "category_id",
    "place_id",
    "latitude",
    "longitude",
    "date",
    "time_band",
    "description",
]


class PersonalDataFound(ValidationError):
    def __init__(self, hits):
        self.hits = hits
        super().__init__(_("The description may contain personal data."))


def check_description(text: str, confirmed: bool) -> bool:
    """True when the text had hits that the user confirmed; raise when not confirmed."""
    hits = scan(text or "")
    if hits and not confirmed:
        raise PersonalDataFound(hits)
    return bool(hits)


def _snapshot(incident: Incident) -> dict:
    data = {}
    for name in INCIDENT_FIELDS:
        value = getattr(incident, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def ensure_categories(municipality) -> list[IncidentCategory]:
    """The kommun's checklist; the default EST list on first use."""
    existing = list(IncidentCategory.objects.filter(municipality=municipality))
    if existing:
        return existing
    IncidentCategory.objects.bulk_create(
        [
            IncidentCategory(municipality=municipality, key=key, name=name, position=index)
            for index, (key, name) in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,
    )
    return list(IncidentCategory.objects.filter(municipality=municipality))


@dataclass
class EventData:
    category: IncidentCategory
    date: object
    time_band: str
    place: Place | None = None
    latitude: float | None = None
    longitude: float | None = None
    description: str = ""
    confirmed: bool = False


def _check_event(municipality, event: EventData) -> None:
    if event.category.municipality_id != municipality.pk:
        raise PermissionDenied
    if event.place is not None and event.place.municipality_id != municipality.pk:
        raise PermissionDenied


def _report_with_key(user, municipality, key) -> Report | None:
    """The report already stored from the form with this key; only its reporter may see it."""
    report = Report.objects.filter(municipality=municipality, idempotency_key=key).first()
    if report is not None and report.reporter_id != user.pk:
        raise PermissionDenied
    return report


def _same_content(report: Report, organisation: str, events: list[EventData]) -> bool:
    """Is this the same report sent again, not the same form reused for other events?"""
    stored = report.incidents.order_by("pk").values_list(
        "category_id", "place_id", "latitude", "longitude", "date", "time_band", "description"
    )
    sent = [
        (e.category.pk, e.place.pk if e.place else None,
         *generalise_point(e.latitude, e.longitude), e.date, e.time_band, e.description)
        for e in events
    ]  # fmt: skip
    return report.organisation == organisation and list(stored) == sent


def _resent(user, municipality, key, organisation, events) -> tuple[Report | None, object]:
    """(report, key): the report this form stored before, when it is sent again with the
    same content; else None and the key to store the new report with, which is None when
    the form is reused for other content (e.g. restored by Back and edited)."""
    if key is None:
        return None, None
    earlier = _report_with_key(user, municipality, key)
    if earlier is None:
        return None, key
    if _same_content(earlier, organisation, events):
        return earlier, key
    return None, None


@transaction.atomic
def submit_report(
    user,
    municipality,
    organisation: str,
    events: list[EventData],
    *,
    is_example=False,
    idempotency_key=None,
) -> Report:
    """Store one report. With an idempotency key, the same form sent again (in sequence or
    in parallel) returns the report stored the first time and writes nothing; the same
    form sent with other content is a new report (stored without the key)."""
    access.require_report(user, municipality)
    if not events:
        raise ValidationError(_("Describe at least one event."))
    checked = []
    for event in events:
        _check_event(municipality, event)
        checked.append(check_description(event.description, event.confirmed))
    earlier, key = _resent(user, municipality, idempotency_key, organisation, events)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():  # a savepoint: a parallel twin may win the unique key
            return _store_report(user, municipality, organisation, events, checked, is_example, key)  # fmt: skip
    except IntegrityError:
        if key is None:
            raise
    # A twin sent in parallel committed first: answer with its report.
    earlier, key = _resent(user, municipality, key, organisation, events)
    if earlier is None and key is not None:
        raise IntegrityError("the idempotency key was taken, but no report holds it")
    return earlier or _store_report(
        user, municipality, organisation, events, checked, is_example, None
    )


def _store_report(user, municipality, organisation, events, checked, is_example, key) -> Report:
    report = Report.objects.create(
        municipality=municipality,
        reporter=user,
        organisation=organisation,
        is_example=is_example,
        idempotency_key=key,
    )
    incidents = []
    for event, had_hits in zip(events, checked, strict=True):
        latitude, longitude = generalise_point(event.latitude, event.longitude)
        incidents.append(
            Incident.objects.create(
                municipality=municipality,
                report=report,
                reporter=user,
                category=event.category,
                place=event.place,
                latitude=latitude,
                longitude=longitude,
                date=event.date,
                time_band=event.time_band,
                description=event.description,
                personal_data_checked=had_hits,
                is_example=is_example,
            )
        )
    audit.record(
        user=user,
        action="submit_incident_report",
        obj=report,
        summary=_("%(n)d event(s) reported") % {"n": len(incidents)},
        after={"incidents": [_snapshot(i) for i in incidents]},
    )
    return report


@transaction.atomic
def correct_incident(user, incident: Incident, event: EventData) -> Incident:
    """A reporter corrects their own report (while it is new)."""
    incident = Incident.objects.select_for_update().get(
        pk=incident.pk, municipality_id=incident.municipality_id
    )
    if incident.reporter_id != user.pk:
        raise PermissionDenied
    if incident.status != Incident.Status.NEW:
        raise ValidationError(_("This event has been reviewed and can no longer be changed."))
    _check_event(incident.municipality, event)
    had_hits = check_description(event.description, event.confirmed)
    before = _snapshot(incident)
    incident.category = event.category
    incident.place = event.place
    incident.latitude, incident.longitude = generalise_point(event.latitude, event.longitude)
    incident.date = event.date
    incident.time_band = event.time_band
    incident.description = event.description
    incident.personal_data_checked = had_hits
    incident.save()
    audit.record(
        user=user, action="correct_incident", obj=incident, before=before, after=_snapshot(incident)
    )
    return incident


@transaction.atomic
def handle_incident(user, incident: Incident, action_taken: str) -> Incident:
    access.require_edit(user, incident.municipality)
    incident = Incident.objects.select_for_update().get(
        pk=incident.pk, municipality_id=incident.municipality_id
    )
    check_description(action_taken, confirmed=False)
    before = {"status": incident.status, "action_taken": incident.action_taken}
    incident.status = Incident.Status.HANDLED
    incident.action_taken = action_taken
    incident.handled_by = user
    incident.handled_at = timezone.now()
    incident.save()
    audit.record(
        user=user,
        action="handle_incident",
        obj=incident,
        before=before,
        after={"status": incident.status, "action_taken": action_taken},
    )
    return incident


@transaction.atomic
def merge_incident(user, duplicate: Incident, original: Incident) -> Incident:
    """Mark `duplicate` as a duplicate of `original`: it is kept, but no longer counted."""
    access.require_edit(user, duplicate.municipality)
    if original.municipality_id != duplicate.municipality_id:
        raise PermissionDenied
    if original.pk == duplicate.pk or original.status == Incident.Status.DUPLICATE:
        raise ValidationError(_("Choose another event that is not itself a duplicate."))
    duplicate = Incident.objects.select_for_update().get(
        pk=duplicate.pk, municipality_id=duplicate.municipality_id
    )
    before = {"status": duplicate.status, "duplicate_of": duplicate.duplicate_of_id}
    duplicate.status = Incident.Status.DUPLICATE
    duplicate.duplicate_of = original
    duplicate.handled_by = user
    duplicate.handled_at = timezone.now()
    duplicate.save()
    audit.record(
        user=user,
        action="merge_incident",
        obj=duplicate,
        before=before,
        after={"status": duplicate.status, "duplicate_of": original.pk},
    )
    return duplicate


PLACE_FIELDS = ["name", "kind", "latitude", "longitude", "polygon", "aliases", "active"]


@transaction.atomic
def save_place(user, municipality, data: dict, place: Place | None = None) -> Place:
    access.require_edit(user, municipality)
    before = {f: getattr(place, f) for f in PLACE_FIELDS} if place else None
    if place is None:
        place = Place(municipality=municipality)
    elif place.municipality_id != municipality.pk:
        raise PermissionDenied
    for name in PLACE_FIELDS:
        if name in data:
            setattr(place, name, data[name])
    place.save()
    audit.record(
        user=user,
        action="update_place" if before else "add_place",
        obj=place,
        before=before,
        after={f: getattr(place, f) for f in PLACE_FIELDS},
    )
    return place


@transaction.atomic
def add_category(user, municipality, name: str) -> IncidentCategory:
    from django.utils.text import slugify

    access.require_edit(user, municipality)
    ensure_categories(municipality)
    key = slugify(name)[:60] or "kategori"
    if IncidentCategory.objects.filter(municipality=municipality, key=key).exists():
        raise ValidationError(_("That category already exists."))
    position = IncidentCategory.objects.filter(municipality=municipality).aggregate(
        m=Max("position")
    )["m"]
    category = IncidentCategory.objects.create(
        municipality=municipality, key=key, name=name, position=(position or 0) + 1
    )
    audit.record(user=user, action="add_incident_category", obj=category, after={"name": name})
    return category


@transaction.atomic
def toggle_category(user, category: IncidentCategory) -> IncidentCategory:
    access.require_edit(user, category.municipality)
    category.active = not category.active
    category.save(update_fields=["active"])
    audit.record(
        user=user,
        action="toggle_incident_category",
        obj=category,
        after={"active": category.active},
    )
    return category


@transaction.atomic
def record_meeting(
    user,
    municipality,
    iso_year,
    iso_week,
    *,
    date,
    participants,
    decisions,
    commitment_refs=(),
    is_example=False,
):
    access.require_edit(user, municipality)
    check_description(decisions, confirmed=False)
    commitment_refs = list(dict.fromkeys(ref for ref in commitment_refs if ref))
    if commitment_refs:
        known = commitments.commitments_for(user, municipality)
        if any(ref not in known for ref in commitment_refs):
            raise PermissionDenied  # not a commitment of this kommun's agreements
    meeting = WeeklyMeeting.objects.create(
        municipality=municipality,
        iso_year=iso_year,
        iso_week=iso_week,
        date=date,
        participants=list(participants),
        decisions=decisions,
        commitment_refs=commitment_refs,
        created_by=user,
        is_example=is_example,
    )
    audit.record(
        user=user,
        action="record_weekly_meeting",
        obj=meeting,
        after={
            "date": date.isoformat(),
            "participants": list(participants),
            "decisions": decisions,
            "commitments": commitment_refs,
        },
    )
    return meeting


@transaction.atomic
def add_action(
    user,
    meeting: WeeklyMeeting,
    *,
    text,
    responsible_role="",
    place=None,
    commitment_ref="",
    due=None,
    is_example=False,
):
    access.require_edit(user, meeting.municipality)
    check_description(text, confirmed=False)
    if place is not None and place.municipality_id != meeting.municipality_id:
        raise PermissionDenied
    commitment_ref = commitment_ref or ""
    if commitment_ref and commitment_ref not in commitments.commitments_for(
        user, meeting.municipality
    ):
        raise PermissionDenied  # not a commitment of this kommun's agreements
    action = MeetingAction.objects.create(
        meeting=meeting,
        municipality=meeting.municipality,
        text=text,
        responsible_role=responsible_role,
        place=place,
        commitment_ref=commitment_ref,
        due=due,
        is_example=is_example,
    )
    audit.record(
        user=user,
        action="add_meeting_action",
        obj=action,
        after={"text": text, "commitment": commitment_ref or None},
    )
    return action


@transaction.atomic
def close_action(user, action: MeetingAction) -> MeetingAction:
    access.require_edit(user, action.municipality)
    action.status = MeetingAction.Status.DONE
    action.closed_at = timezone.now()
    action.save(update_fields=["status", "closed_at"])
    audit.record(
        user=user, action="close_meeting_action", obj=action, after={"status": action.status}
    )
    return action
