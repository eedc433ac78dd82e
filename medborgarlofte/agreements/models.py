"""Medborgarlöften: agreements, their versions and everything a version contains.

An Agreement is one kommun's promise for one period; its content lives in numbered
AgreementVersions. A version is a draft until both parties approve it (agreed), and
published versions are frozen: later changes go into a new draft version. Every row
below carries the kommun (tenant key) directly.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.models import ApprovableDocument, PartyApproval
from medborgarlofte.crimestats.models import CrimeCategory
from medborgarlofte.kommuner.models import Municipality


class Agreement(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="agreements"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["municipality", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_start", "period_end"],
                name="agreement_unique_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.period_start.year}"

    @property
    def year(self) -> int:
        return self.period_start.year

    def latest_version(self):
        """Uses prefetched versions when present (ordered newest first)."""
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None

    def published_version(self):
        published = [v for v in self.versions.all() if v.status == Status.PUBLISHED]
        return max(published, key=lambda v: v.number) if published else None


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    PUBLISHED = "published", _("Published")


class AgreementVersion(ApprovableDocument, models.Model):
    APPROVAL_NOUN = "agreement"  # draft → agreed (both approved) → published

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    police_area = models.CharField(_("local police area"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    effects = models.TextField(_("expected effects"), blank=True)
    follow_up_text = models.TextField(_("follow-up plan"), blank=True)
    follow_up_schedule = models.JSONField(_("follow-up schedule"), default=list, blank=True)
    signed_date = models.DateField(_("signed on"), null=True, blank=True)
    extensions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_editable(self) -> bool:
        return self.status != Status.PUBLISHED


class Party(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER = "other", _("Other")

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="parties")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(_("key"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="party_unique_key")]

    def __str__(self) -> str:
        return self.name


class BasisItem(models.Model):
    class Kind(models.TextChoices):
        CRIME_STATISTICS = "crime_statistics", _("Crime statistics")
        POLICE_INTELLIGENCE = "police_intelligence", _("Police intelligence report")
        CITIZEN_DIALOGUE = "citizen_dialogue", _("Citizen dialogue")
        EMPLOYEE_DIALOGUE = "employee_dialogue", _("Staff dialogue")
        SAFETY_SURVEY = "safety_survey", _("Safety survey")
        POLICY_DOCUMENT = "policy_document", _("Policy document")
        OTHER = "other", _("Other")

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="basis")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"))
    years = models.JSONField(_("years"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class FocusArea(models.Model):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="focus_areas"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="focus_area_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class PriorityCategory(models.Model):
    """A priority crime category as the agreement names it, linked to the taxonomy if known."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="crime_categories"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        CrimeCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="sections")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    heading = models.CharField(_("heading"), max_length=300)
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="sections"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading


class Level(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    TACTICAL = "tactical", _("Tactical")
    OPERATIONAL = "operational", _("Operational")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    TERTIAL = "tertial", _("Every tertial")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEAR = "half_year", _("Every half year")
    YEARLY = "yearly", _("Yearly")
    CONTINUOUS = "continuous", _("Continuously")
    AS_NEEDED = "as_needed", _("As needed")
    ONCE = "once", _("Once")


class Commitment(models.Model):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="commitments"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="commitments")
    ref = models.CharField(_("reference"), max_length=80)
    text = models.TextField(_("commitment"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices, blank=True)
    owners = models.ManyToManyField(Party, through="CommitmentOwner", related_name="commitments")
    # The lägesbild problems this commitment answers ("why this promise"; issue 4).
    # Not part of the exchange format medborgarlofte/1.
    problems = models.ManyToManyField(
        "lagesbild.Problem", blank=True, related_name="commitments", verbose_name=_("problems")
    )
    # The commitment of an earlier agreement this one continues (next year's promise,
    # issue 14). Not part of the exchange format; the earlier agreement is never changed.
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        verbose_name=_("continues"),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="commitment_unique_ref")
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def owner_parties(self) -> list[Party]:
        return [link.party for link in self.owner_links.all()]


class CommitmentOwner(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="owner_links")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "party"], name="commitment_owner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.commitment}"


class Indicator(models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        PROCESS = "process", _("Process")
        EFFECT = "effect", _("Effect")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="indicators")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Signatory(models.Model):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatories"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="signatories")
    role = models.CharField(_("role"), max_length=200)
    name = models.CharField(_("name"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.role} ({self.party})"


class Approval(PartyApproval):
    """One party's approval of a version (accounts/approvals.py). Any edit clears them."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="approvals"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "party_kind"], name="approval_one_per_party")
        ]
