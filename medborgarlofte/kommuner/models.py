from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A län (county), e.g. 06 Jönköpings län."""

    code = models.CharField(_("county code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Kommungrupp(models.TextChoices):
    """SKR's kommungruppsindelning 2023: nine groups in three main groups (A, B, C)."""

    A1 = "A1", _("A1 Large cities")
    A2 = "A2", _("A2 Commuting municipality near a large city")
    B3 = "B3", _("B3 Medium-sized town")
    B4 = "B4", _("B4 Commuting municipality near a medium-sized town")
    B5 = "B5", _("B5 Low-commuting municipality near a medium-sized town")
    C6 = "C6", _("C6 Small town or urban area")
    C7 = "C7", _("C7 Commuting municipality near a small town")
    C8 = "C8", _("C8 Rural municipality")
    C9 = "C9", _("C9 Rural municipality with a visitor industry")


class Municipality(models.Model):
    """A kommun: the tenant. The 290 kommuner are reference data loaded by migration."""

    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    police_area = models.CharField(_("local police area"), max_length=150, blank=True)
    police_region = models.CharField(_("police region"), max_length=100, blank=True)
    # SKR's kommungrupp, for comparing with peers (crimestats/peers.py). Loaded from SKR's
    # list with `load_kommungrupper` (docs/statistics.md); blank until then.
    kommungrupp = models.CharField(
        _("SKR kommungrupp"), max_length=2, choices=Kommungrupp.choices, blank=True
    )
    kommungrupp_source = models.CharField(
        _("source of the kommungrupp"), max_length=200, blank=True
    )
    reporters_need_two_factor = models.BooleanField(
        _("incident reporters must use two-factor authentication"), default=False
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def official_name(self) -> str:
        """ "Stockholms kommun", "Mullsjö kommun", "Region Gotland" (kommuner/names.py)."""
        from .names import official_name

        return official_name(self.code, self.name)

    def population_for(self, year: int):
        return self.populations.filter(year=year).first()


class Population(models.Model):
    """Population of a kommun in a given year, with its source."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_unique_year")
        ]
        ordering = ["municipality", "year"]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.population}"


class Place(models.Model):
    """A named place or area in a kommun (the gazetteer): "Mullsjö centrum", a school.

    Places, never people. A point or a polygon is optional; public outputs generalise
    locations (see incidents and reports.maps).
    """

    class Kind(models.TextChoices):
        AREA = "area", _("Area")
        CENTRE = "centre", _("Town centre")
        SCHOOL = "school", _("School")
        STATION = "station", _("Station or bus stop")
        PARK = "park", _("Park or green space")
        SQUARE = "square", _("Square or street")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="places")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AREA)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    polygon = models.JSONField(
        _("polygon"), null=True, blank=True, help_text=_("GeoJSON polygon coordinates (WGS84).")
    )
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="place_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


def place_field() -> models.ForeignKey:
    """An optional place of the kommun's gazetteer on a measure or an activity (the
    services check that it is the row's own kommun's); the page compares EST incidents
    and police events there before and after (incidents/before_after.py)."""
    return models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
    )
