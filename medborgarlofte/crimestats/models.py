"""Crime statistics: the taxonomy, imported counts, Kolada values and import runs.

CrimeCategory is reference data shared by all kommuner. CrimeStatistic and KpiValue
are public statistics per kommun; they carry the kommun directly (the tenant key), so
one kommun's summary reads only that kommun's rows through the index that starts with
the kommun. AreaTotal holds the county and national sums, refreshed by every import,
so that comparisons never scan the national table.
"""

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from medborgarlofte.importing.models import AbstractFileImportRun
from medborgarlofte.kommuner.models import Municipality


class CrimeCategory(models.Model):
    """A category of reported crime following Brå's statistics (chapters and subcategories).

    Reference data shared by all kommuner (not tenant-owned). Priority crime categories of
    an agreement are matched to it by name or alias, case-insensitively.
    """

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    legal_reference = models.CharField(_("legal reference"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    composite = models.BooleanField(
        _("composite"),
        default=False,
        help_text=_("Not a single Brå category; composed of several subcategories."),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("crime category")
        verbose_name_plural = _("crime categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    BRA = "bra", _("Brå")
    TIDY = "tidy", _("Own file (tidy format)")
    KOLADA = "kolada", _("Kolada")
    SCB = "scb", _("SCB")
    DEMO = "demo", _("Example data")


class StatisticStatus(models.TextChoices):
    PRELIMINARY = "prel", _("preliminary")
    FINAL = "final", _("final")


class ImportRun(AbstractFileImportRun):
    """One import of one file: what, from where, its SHA-256, how many rows, who, when."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=20, default="crime")
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    user_label = models.CharField(_("imported by"), max_length=150, default="system")

    class Meta(AbstractFileImportRun.Meta):
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.source} {self.file_name} {self.at:%Y-%m-%d}"


class CrimeStatistic(models.Model):
    """Reported crimes: kommun × category × period (a year, or a month of it) → count."""

    # Indexed by the composite index below (kommun first), not on its own.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="crime_statistics", db_index=False
    )
    # No index of their own either: every read goes through the kommun's composite index,
    # and an index on each foreign key would be kept up on every bulk import for the
    # rare delete of a category or an import run (benchmarks/README.md, issue 17).
    category = models.ForeignKey(
        CrimeCategory, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"))
    status = models.CharField(
        _("status"), max_length=5, choices=StatisticStatus.choices, default=StatisticStatus.FINAL
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("crime statistic")
        verbose_name_plural = _("crime statistics")
        constraints = [
            # One index does both jobs: unique per kommun, category, period and source
            # (a yearly row has month NULL, counted as 0: months are 1–12), and, kommun
            # first, the index one kommun's summary reads (cost follows the kommun, not
            # the national table). Each index more is kept up on every bulk import
            # (benchmarks/README.md, issue 17).
            models.UniqueConstraint(
                "municipality",
                "category",
                "year",
                Coalesce("month", 0),
                "source",
                name="crimestatistic_unique",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.municipality_id} {self.category_id} {period}: {self.count}"


class AreaTotal(models.Model):
    """Sum of CrimeStatistic over a county ("06") or Sweden ("SE"), refreshed on import."""

    area = models.CharField(_("area"), max_length=4)
    category = models.ForeignKey(CrimeCategory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0)  # 0 = the whole year
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    count = models.PositiveIntegerField(_("count"))
    municipalities = models.PositiveSmallIntegerField(_("kommuner with data"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "category", "source", "year", "month"], name="areatotal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.category_id} {self.year}-{self.month:02d}: {self.count}"


class KpiGender(models.TextChoices):
    """Kolada's `gender`: T total, K women (kvinnor), M men (män)."""

    TOTAL = "T", _("Total")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class KpiValue(models.Model):
    """A Kolada key figure for a kommun, year and gender (T total, K women, M men)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="kpi_values"
    )
    kpi = models.CharField(_("KPI"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)
    gender = models.CharField(
        _("women/men"), max_length=1, choices=KpiGender.choices, default=KpiGender.TOTAL
    )
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Kolada value")
        verbose_name_plural = _("Kolada values")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kpi", "year", "gender"], name="kpivalue_gender_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.municipality_id} {self.year} {self.gender}: {self.value}"
