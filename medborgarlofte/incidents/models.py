"""EST incident reports, police events and the weekly meeting.

Places and situations, never people: there are no fields for names or identity
numbers, descriptions pass the personal-data scanner before they are stored, and
points are stored generalised to a grid cell (see `generalise_point`).
"""

import math

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.importing.models import AbstractImportRun
from medborgarlofte.kommuner.models import County, Municipality, Place

# Grid used to generalise points (about 280 m × 290 m at Mullsjö's latitude).
CELL_LAT = 0.0025
CELL_LON = 0.005


def grid_cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL_LAT), math.floor(longitude / CELL_LON)


def cell_centre(cell: tuple[int, int]) -> tuple[float, float]:
    return round((cell[0] + 0.5) * CELL_LAT, 6), round((cell[1] + 0.5) * CELL_LON, 6)


def generalise_point(latitude, longitude):
    """The centre of the grid cell holding the point: what is stored, never the point."""
    if latitude is None or longitude is None:
        return None, None
    return cell_centre(grid_cell(latitude, longitude))


# The default EST checklist (Brå's handbook and the kommuner in research/domain.md §2).
DEFAULT_CATEGORIES = [
    ("skadegorelse", "Skadegörelse"),
    ("klotter", "Klotter"),
    ("nedskrapning", "Nedskräpning"),
    ("brand", "Brand/anlagd brand"),
    ("otrygg-plats", "Otrygg plats/belysning"),
    ("storande-samling", "Störande samling personer"),
    ("narkotika", "Misstänkt narkotikahantering"),
    ("buskorning", "Buskörning/moped/A-traktor"),
    ("hot-vald-personal", "Hot eller våld mot personal"),
    ("inbrott", "Inbrott"),
    ("ovrigt", "Övrigt"),
]


class IncidentCategory(models.Model):
    """One entry of a kommun's EST checklist (configurable per kommun)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="incident_categories"
    )
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["municipality", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="incident_category_key")
        ]

    def __str__(self) -> str:
        return self.name


class TimeBand(models.TextChoices):
    NIGHT = "night", _("Night 00–06")
    MORNING = "morning", _("Morning 06–12")
    AFTERNOON = "afternoon", _("Afternoon 12–18")
    EVENING = "evening", _("Evening 18–24")
    UNKNOWN = "unknown", _("Unknown time")


class Report(models.Model):
    """One submission by a reporter: one or more incidents."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incident_reports"
    )
    organisation = models.CharField(_("reporting organisation"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    is_example = models.BooleanField(_("example data"), default=False)
    # A random key rendered into each report form: the same form sent twice (double
    # click, retry after a timeout) is stored once. Empty for reports made otherwise.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "idempotency_key"], name="incident_report_idempotency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%Y-%m-%d}"


class Incident(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        HANDLED = "handled", _("Handled")
        DUPLICATE = "duplicate", _("Duplicate")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="incidents")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents"
    )
    category = models.ForeignKey(
        IncidentCategory, on_delete=models.PROTECT, related_name="incidents"
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    latitude = models.FloatField(_("latitude (generalised)"), null=True, blank=True)
    longitude = models.FloatField(_("longitude (generalised)"), null=True, blank=True)
    date = models.DateField(_("date"))
    time_band = models.CharField(
        _("time"), max_length=12, choices=TimeBand.choices, default=TimeBand.UNKNOWN
    )
    description = models.TextField(_("description"), blank=True)
    personal_data_checked = models.BooleanField(
        _("checked: not personal data"),
        default=False,
        help_text=_(
            "The scanner found something and the reporter confirmed it is not personal data."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    action_taken = models.TextField(_("action taken"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-date", "-id"]
        indexes = [
            # One kommun's weeks cost the same whatever the national total.
            models.Index(fields=["municipality", "date"], name="incident_kommun_date"),
            models.Index(fields=["municipality", "status"], name="incident_kommun_status"),
            models.Index(fields=["reporter", "-created_at"], name="incident_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.date}"

    @property
    def counted(self) -> bool:
        return self.status != self.Status.DUPLICATE


class PoliceEvent(models.Model):
    """One event of Polisen's public events API. National data: the kommun may be
    unknown (county-level events, summaries)."""

    event_id = models.BigIntegerField(_("Polisen id"), unique=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"))
    occurred_at = models.DateTimeField(_("time of event"), null=True, blank=True)
    name = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    url = models.CharField(_("address"), max_length=400)
    type = models.CharField(_("type"), max_length=120)
    location_name = models.CharField(_("location"), max_length=120)
    gps = models.CharField(max_length=60, blank=True)
    is_summary = models.BooleanField(_("summary of many events"), default=False)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("police event")
        verbose_name_plural = _("police events")
        ordering = ["-occurred_at", "-event_id"]
        indexes = [
            models.Index(fields=["municipality", "occurred_at"], name="policeevent_kommun_time"),
            models.Index(fields=["county", "occurred_at"], name="policeevent_county_time"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def absolute_url(self) -> str:
        """The event on polisen.se; "" for anything but a path or an http(s) address, so a
        feed or file holding javascript: or data: never becomes a link (issue 7)."""
        url = self.url.strip()
        if url.startswith("/") and not url.startswith("//"):
            return f"https://polisen.se{url}"
        return url if url.lower().startswith(("https://", "http://")) else ""


class PoliceImportRun(AbstractImportRun):
    """One import or fetch of police events (national, so no kommun)."""

    source = models.CharField(_("source"), max_length=400)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(_("imported"), auto_now_add=True, db_index=True)
    fetched = models.BooleanField(default=False)

    class Meta(AbstractImportRun.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.source} {self.at:%Y-%m-%d %H:%M}"


# Roles that take part in the weekly meeting (by role, never by name).
MEETING_ROLES = [
    ("samordnare", _("Crime-prevention coordinator")),
    ("kommunpolis", _("Kommunpolis")),
    ("bostadsbolag", _("Housing company")),
    ("raddningstjanst", _("Rescue services")),
    ("fritid", _("Leisure / youth services")),
    ("skola", _("School")),
    ("vaktbolag", _("Security company")),
    ("fastighet", _("Property management")),
]


class WeeklyMeeting(models.Model):
    """The weekly EST review (coordinator and kommunpolis): participants by role."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    iso_year = models.PositiveSmallIntegerField(_("year"))
    iso_week = models.PositiveSmallIntegerField(_("week"))
    date = models.DateField(_("date"))
    participants = models.JSONField(_("participants (roles)"), default=list)
    decisions = models.TextField(_("decisions"), blank=True)
    # The commitments of the citizen promise the meeting serves, by reference (as
    # MeetingAction.commitment_ref): follow-up counts the held meeting as an activity of
    # each, so a weekly commitment is met by the meetings themselves (issue 14).
    commitment_refs = models.JSONField(
        _("commitments in the citizen promise"), default=list, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_example = models.BooleanField(_("example data"), default=False)

    class Meta:
        verbose_name = _("weekly meeting")
        verbose_name_plural = _("weekly meetings")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(
                fields=["municipality", "iso_year", "iso_week"], name="meeting_kommun_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.iso_year}-W{self.iso_week:02d}"

    def participant_labels(self) -> list[str]:
        labels = dict(MEETING_ROLES)
        return [str(labels.get(key, key)) for key in self.participants]

    def served_refs(self) -> list[str]:
        """The commitments the meeting serves: its own and those of its actions."""
        refs = list(self.commitment_refs or [])
        for action in self.actions.all():
            if action.commitment_ref and action.commitment_ref not in refs:
                refs.append(action.commitment_ref)
        return refs


class MeetingAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(WeeklyMeeting, on_delete=models.CASCADE, related_name="actions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("action"))
    responsible_role = models.CharField(_("responsible (role)"), max_length=120, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The commitment by its reference (as follow-up statuses do): the sources know nothing
    # of the promise (incidents/commitments.py, docs/decisions/0004-layers.md).
    commitment_ref = models.CharField(
        _("commitment in the citizen promise"), max_length=80, blank=True, default=""
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["status", "due", "id"]
        indexes = [models.Index(fields=["municipality", "status"], name="action_kommun_status")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def responsible_label(self) -> str:
        return str(dict(MEETING_ROLES).get(self.responsible_role, self.responsible_role))
