"""The joint lägesbild: documents, problems, evidence, ranking, approvals, versions.

A Lagesbild is one kommun's situational picture for one period. Its sections are
composed from the source apps when the page is shown (composition.py); its problems
(SARA style) and their evidence are stored here. Both parties approve it; the
approval freezes a LagesbildVersion with a JSON snapshot of everything shown, so a
frozen version never changes when the data behind it changes.

IntelligenceSummary is police-only material: it is read only through
lagesbild.access.get_intelligence_for_user (which logs every read) and is kept in
its own column of a version (police_sections), never in the shared snapshot.

Every row carries the kommun (tenant key) directly.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import post_init
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.models import ApprovableDocument, DecisionRecord, PartyApproval
from medborgarlofte.crimestats.models import CrimeCategory
from medborgarlofte.kommuner.models import Municipality


class Lagesbild(ApprovableDocument, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved by both parties")

    # Both approvals freeze a version (services.freeze_version), which sets APPROVED: the
    # lägesbild's "published". An edit after that starts a new round of approval.
    APPROVAL_NOUN = "lagesbild"
    APPROVAL_AGREED = None
    APPROVAL_FINAL = Status.APPROVED

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="lagesbilder"
    )
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    promise_year = models.PositiveSmallIntegerField(
        _("promise year"),
        help_text=_("The year of the medborgarlöfte this situational picture informs."),
    )
    analysis = models.TextField(_("joint analysis"), blank=True)
    # The parts of lag (2023:196) 4 § that the sources do not give (docs/statutory.md):
    # the consequences of crime (1 p., with the figures in Consequence) and other
    # information of importance (2 p.).
    consequences = models.TextField(
        _("consequences of crime"),
        blank=True,
        help_text=_("What crime costs people and the kommun: harm, fear, costs."),
    )
    other_information = models.TextField(
        _("other relevant information"),
        blank=True,
        help_text=_("Information of importance beyond the crime figures (lag 2023:196, 4 §)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    manual_order = models.BooleanField(
        _("ordered by hand"),
        default=False,
        help_text=_("Set when someone moves a problem; cleared by sorting by score again."),
    )
    example_data = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("situational picture")
        verbose_name_plural = _("situational pictures")
        ordering = ["municipality", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_start", "period_end"],
                name="lagesbild_unique_period",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Approval(PartyApproval):
    """One party's approval of the current content (accounts/approvals.py). Any edit
    clears them."""

    lagesbild = models.ForeignKey(Lagesbild, on_delete=models.CASCADE, related_name="approvals")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lagesbild", "party_kind"], name="lagesbild_approval_one_per_party"
            )
        ]


class LagesbildVersion(models.Model):
    """A frozen snapshot, made when both parties have approved."""

    lagesbild = models.ForeignKey(Lagesbild, on_delete=models.CASCADE, related_name="versions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)
    content = models.JSONField(_("content"))
    # The intelligence section, police only. Never copied into `content`.
    police_sections = models.JSONField(default=list, blank=True)
    approved_by = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["lagesbild", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["lagesbild", "number"], name="lagesbild_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lagesbild} v{self.number}"


class LagesbildDecision(DecisionRecord):
    """The kommun's decision on a frozen version: the statutory lägesbild (docs/statutory.md)."""

    document = models.OneToOneField(
        LagesbildVersion, on_delete=models.PROTECT, related_name="decision"
    )

    class Meta:
        verbose_name = _("decision on a situational picture")
        verbose_name_plural = _("decisions on situational pictures")


class Consequence(models.Model):
    """One figure or text on the consequences of crime (lag 2023:196, 4 § 1 p.): e.g. the
    cost of vandalism to the kommun, the share who avoid going out, insurance claims."""

    lagesbild = models.ForeignKey(
        Lagesbild, on_delete=models.CASCADE, related_name="consequence_items"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    figure = models.FloatField(_("figure"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    text = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    example_data = models.BooleanField(_("example data"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("consequence")
        verbose_name_plural = _("consequences")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Problem(models.Model):
    """A specific local problem, SARA style: behaviour, place, time, who is affected, causes."""

    lagesbild = models.ForeignKey(Lagesbild, on_delete=models.CASCADE, related_name="problems")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    behaviour = models.TextField(_("behaviour"), help_text=_("What happens: the behaviour."))
    place = models.CharField(_("place"), max_length=300, help_text=_("Where it happens."))
    time = models.CharField(_("time"), max_length=300, help_text=_("When it happens."))
    affected = models.CharField(_("who is affected"), max_length=300, blank=True)
    causes = models.TextField(_("suspected causes"), blank=True)
    focus_area = models.CharField(
        _("focus area"),
        max_length=300,
        blank=True,
        help_text=_("The focus area of the promise this problem leads to."),
    )
    crime_categories = models.ManyToManyField(
        CrimeCategory, blank=True, related_name="+", verbose_name=_("crime categories")
    )
    chosen = models.BooleanField(_("prioritised"), default=False)
    position = models.PositiveIntegerField(default=0)
    score = models.FloatField(_("score"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    STATISTIC = "statistic", _("Crime statistic")
    SURVEY = "survey", _("Safety survey")
    DIALOGUE = "dialogue", _("Dialogue theme")
    INCIDENT = "incident", _("Incident cluster")
    POLICE_EVENT = "police_event", _("Police events")
    INTELLIGENCE = "intelligence", _("Police intelligence report")
    PROGRAMME = "programme", _("Municipal programme")
    OTHER = "other", _("Other")


class Evidence(models.Model):
    """One piece of evidence behind a problem, with a snapshot of the figure.

    `source_app` + `source_key` point at the data (e.g. crimestats + narkotikabrott:2023);
    `snapshot` keeps the figure, its change, source and date as they were when linked, so
    frozen versions stay stable. `strength` (0–1) feeds the ranking (ranking.py).
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    source_app = models.CharField(_("source app"), max_length=40, blank=True)
    source_key = models.CharField(_("source key"), max_length=200, blank=True)
    label = models.CharField(_("label"), max_length=300)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    strength = models.FloatField(_("strength"), default=0.5)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class RankChange(models.Model):
    """A manual move of a problem in the ranking, with the required reason."""

    lagesbild = models.ForeignKey(Lagesbild, on_delete=models.CASCADE, related_name="rank_changes")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="rank_changes")
    from_position = models.PositiveIntegerField()
    to_position = models.PositiveIntegerField()
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.problem} {self.from_position} → {self.to_position}"


class Programme(models.Model):
    """One of the kommun's own programmes (e.g. Handlingsprogram för trygghet och säkerhet)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="safety_programmes"
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address (URL)"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("municipal programme")
        verbose_name_plural = _("municipal programmes")
        ordering = ["municipality", "-first_year", "title"]

    def __str__(self) -> str:
        return self.title


class IntelligenceSummary(models.Model):
    """Police-only summary of the intelligence picture for a kommun and period.

    Never published, never shown to non-police roles; every read is audit-logged
    (lagesbild.access.get_intelligence_for_user). Summaries only: no names, no
    underrättelseuppgifter about individuals.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="intelligence_summaries"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    text = models.TextField(_("summary"))
    example_data = models.BooleanField(_("example data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("intelligence summary")
        verbose_name_plural = _("intelligence summaries")
        ordering = ["municipality", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_start", "period_end"],
                name="intelligence_unique_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.period_start}–{self.period_end}"


def _withhold_police_only_text(sender, instance, **kwargs):
    """Every police-only text in memory is kept out of error reports of the request
    (privacy/error_reports.py). Deferred fields are not loaded here."""
    from medborgarlofte.privacy import error_reports

    if sender is IntelligenceSummary:
        error_reports.withhold(instance.__dict__.get("text") or "")
    else:
        sections = instance.__dict__.get("police_sections") or []
        error_reports.withhold([s.get("text", "") for s in sections if isinstance(s, dict)])


post_init.connect(_withhold_police_only_text, sender=IntelligenceSummary)
post_init.connect(_withhold_police_only_text, sender=LagesbildVersion)
