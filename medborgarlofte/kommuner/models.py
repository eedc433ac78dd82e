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


class Municipality(models.Model):
    """A kommun: the tenant. The 290 kommuner are reference data loaded by migration."""

    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    police_area = models.CharField(_("local police area"), max_length=150, blank=True)
    police_region = models.CharField(_("police region"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

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
