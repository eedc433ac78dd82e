"""The kommun's åtgärdsplan (lag 2023:196, 5 §): measures decided from a lägesbild.

An ActionPlan is one version of the plan; a revision is a new ActionPlan row (`revises`
points at the one it replaces, which is never changed). Its measures name the lägesbild
problems they address, who is responsible, with whom, when, the resources, the expected
effect and the indicator. A measure done together with the police can become a
commitment of a medborgarlöfte: the link is kept here by agreement and commitment
reference (a new agreement version keeps its references), and shown on both sides.

When the police take part, both parties approve the plan (accounts/approvals.py) before
the kommun decides it; the decision record (accounts.models.DecisionRecord) freezes it.
Every row carries the kommun (tenant key).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.accounts.models import ApprovableDocument, DecisionRecord, PartyApproval
from medborgarlofte.importing.models import AbstractFileImportRun
from medborgarlofte.kommuner.models import Municipality, place_field
from medborgarlofte.lagesbild.models import Lagesbild, Problem


class ActionPlan(ApprovableDocument, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Approved by both parties")
        DECIDED = "decided", _("Decided")

    APPROVAL_NOUN = "actionplan"
    APPROVAL_AGREED = Status.AGREED
    APPROVAL_FINAL = Status.DECIDED

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=300)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    lagesbild = models.ForeignKey(
        Lagesbild,
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("situational picture"),
        help_text=_("The situational picture the plan is based on."),
    )
    summary = models.TextField(_("summary"), blank=True)
    police_take_part = models.BooleanField(
        _("the police take part"),
        default=True,
        help_text=_("Then both the police and the kommun approve the plan before it is decided."),
    )
    number = models.PositiveIntegerField(_("version"), default=1)
    revises = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revised_by",
        verbose_name=_("revises"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    example_data = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["municipality", "-first_year", "-number"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.DECIDED

    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


class Approval(PartyApproval):
    """One party's approval of the plan (accounts/approvals.py). Any edit clears them."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="approvals")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "party_kind"], name="actionplan_approval_one_per_party"
            )
        ]


class ActionPlanDecision(DecisionRecord):
    """The kommun's decision on the plan (lag 2023:196, 5 §)."""

    document = models.OneToOneField(ActionPlan, on_delete=models.PROTECT, related_name="decision")

    class Meta:
        verbose_name = _("decision on an action plan")
        verbose_name_plural = _("decisions on action plans")


class Measure(models.Model):
    """One measure (åtgärd) of the plan."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="measures")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("measure"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    problems = models.ManyToManyField(
        Problem, blank=True, related_name="measures", verbose_name=_("problems addressed")
    )
    responsible = models.CharField(_("responsible unit"), max_length=200)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    with_police = models.BooleanField(_("done together with the police"), default=False)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))
    # Where the measure is done (the kommun's gazetteer): the measure page compares EST
    # incidents and police events there before and during the measure (incidents/before_after.py).
    place = place_field()
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    cost = models.PositiveIntegerField(_("cost (kr)"), null=True, blank=True)
    expected_effect = models.TextField(_("expected effect"))
    indicator = models.CharField(_("indicator"), max_length=300)
    # The medborgarlöfte commitment this measure became (by reference: a new version of
    # the agreement keeps its commitments' references). Not a foreign key to the row.
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medborgarlöfte"),
    )
    commitment_ref = models.CharField(_("commitment"), max_length=80, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="measure_unique_ref")]

    def __str__(self) -> str:
        return self.title


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")
    CANCELLED = "cancelled", _("Cancelled")


class MeasureFollowUp(models.Model):
    """The follow-up of a measure for one period: status and explanation.

    Follow-up goes on after the plan is decided (it is about the work, not the plan); a
    revision starts its own follow-up."""

    class Term(models.TextChoices):
        T1 = "t1", _("T1 (January–April)")
        T2 = "t2", _("T2 (May–August)")
        T3 = "t3", _("T3 (September–December)")
        YEAR = "year", _("The whole year")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="followups")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    term = models.CharField(_("period"), max_length=10, choices=Term.choices)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    explanation = models.TextField(_("explanation"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up of a measure")
        verbose_name_plural = _("follow-ups of measures")
        ordering = ["-year", "-term"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "term"], name="measure_followup_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.term}"


class ActionPlanImportRun(AbstractFileImportRun):
    """One upload of an åtgärdsplan JSON file (docs/formats/actionplan.md): the same file
    (by SHA-256) uploaded again in the same kommun changes nothing."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(AbstractFileImportRun.Meta):
        verbose_name = _("import of an action plan")
        verbose_name_plural = _("imports of action plans")

    def __str__(self) -> str:
        return self.file_name


# --- Samverkansöverenskommelse ------------------------------------------------------------


class CooperationAgreement(ApprovableDocument, models.Model):
    """The multi-year agreement between the kommun and the police (Brå's
    samverkansöverenskommelse): the problems, measurable goals, the organisation and
    meeting structure, and how it is followed up. Both parties sign it through the shared
    two-party approval (accounts/approvals.py); signed, it is frozen. The medborgarlöften
    of its years hang under it, and each of their commitments can name the goal it
    serves (GoalCommitment)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed by both parties")

    APPROVAL_NOUN = "cooperation"
    APPROVAL_AGREED = Status.SIGNED
    APPROVAL_FINAL = Status.SIGNED

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="cooperation_agreements"
    )
    title = models.CharField(_("title"), max_length=300)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    problems = models.TextField(
        _("problems"), help_text=_("The problems the parties agree to work on.")
    )
    organisation = models.TextField(
        _("organisation and meetings"),
        help_text=_("Who takes part, at which level, and how often the parties meet."),
    )
    follow_up_method = models.TextField(
        _("follow-up method"), help_text=_("How and when the goals are followed up.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    example_data = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["municipality", "-first_year"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.SIGNED


class CooperationApproval(PartyApproval):
    """One party's signature (accounts/approvals.py). Any edit of a draft clears them."""

    cooperation = models.ForeignKey(
        CooperationAgreement, on_delete=models.CASCADE, related_name="approvals"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "party_kind"], name="cooperation_approval_one_per_party"
            )
        ]


class Goal(models.Model):
    """A measurable goal of the cooperation agreement: what is measured, from where to
    where."""

    cooperation = models.ForeignKey(
        CooperationAgreement, on_delete=models.CASCADE, related_name="goals"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("goal"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    baseline = models.CharField(_("baseline"), max_length=200, blank=True)
    target = models.CharField(_("target"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "ref"], name="goal_unique_ref")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class GoalCommitment(models.Model):
    """A commitment of a medborgarlöfte (by agreement and reference: references survive
    new versions) serves a goal of the cooperation agreement."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="commitments")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="+"
    )
    commitment_ref = models.CharField(_("commitment"), max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "agreement", "commitment_ref"], name="goal_commitment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal.ref} ← {self.commitment_ref}"
