"""The safety survey (trygghetsundersökning): waves and their values.

A wave is one provider's survey in one year for one area of a kommun (Polisen's
survey by Origo, SCB's medborgarundersökning …), with n and response rate. Its values
come in one of two formats found in the field: Polisen's problem index 0–6 per
question (lower is better), or percentages per question and answer. Every value has
its own n (respondents who answered that question) when the provider reports it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.importing.models import AbstractFileImportRun
from medborgarlofte.kommuner.models import Municipality


class ValueFormat(models.TextChoices):
    INDEX = "index", _("Problem index 0–6")
    PERCENT = "percent", _("Percentages per answer")


class Gender(models.TextChoices):
    """Who a value counts, as the providers (and Kolada) code it: T total, K women, M men."""

    TOTAL = "T", _("Total")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class SurveyImportRun(AbstractFileImportRun):
    """One import of one file: its name, SHA-256, rows, who and when."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    value_format = models.CharField(_("format"), max_length=10, choices=ValueFormat.choices)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    user_label = models.CharField(_("imported by"), max_length=150, default="system")

    class Meta(AbstractFileImportRun.Meta):
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class SurveyThreshold(models.Model):
    """A kommun's thresholds for the problem index (a local convention, not a standard).

    normal up to `normal_max`, act from `act_from`, watch in between (thresholds.py).
    """

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="survey_threshold"
    )
    normal_max = models.DecimalField(_("normal up to"), max_digits=3, decimal_places=2, default=1.5)
    act_from = models.DecimalField(_("act from"), max_digits=3, decimal_places=2, default=1.7)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey thresholds")
        verbose_name_plural = _("survey thresholds")

    def __str__(self) -> str:
        return f"{self.normal_max} / {self.act_from}"


class SurveyWave(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="survey_waves"
    )
    provider = models.CharField(_("provider"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.CharField(_("area"), max_length=150)
    respondents = models.PositiveIntegerField(_("respondents (n)"))
    response_rate = models.DecimalField(
        _("response rate (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    value_format = models.CharField(_("format"), max_length=10, choices=ValueFormat.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    import_run = models.ForeignKey(
        SurveyImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="waves"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["-year", "provider", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "provider", "year", "area"], name="survey_wave_unique"
            )
        ]
        indexes = [models.Index(fields=["municipality", "year"], name="survey_wave_kommun_year")]

    def __str__(self) -> str:
        return f"{self.provider} {self.year} – {self.area}"


class SurveyValue(models.Model):
    """An index value (answer blank) or the percentage giving one answer to a question."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="values")
    question = models.CharField(_("question"), max_length=300)
    answer = models.CharField(_("answer"), max_length=150, blank=True)
    gender = models.CharField(
        _("women/men"), max_length=1, choices=Gender.choices, default=Gender.TOTAL
    )
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2)
    n = models.PositiveIntegerField(_("n"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("survey value")
        verbose_name_plural = _("survey values")
        ordering = ["wave", "position", "question", "answer", "-gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "question", "answer", "gender"], name="survey_value_gender_unique"
            )
        ]

    def __str__(self) -> str:
        text = f"{self.question} {self.answer}".strip()
        return text if self.gender == Gender.TOTAL else f"{text} ({self.get_gender_display()})"

    @property
    def effective_n(self):
        return self.n if self.n is not None else self.wave.respondents
