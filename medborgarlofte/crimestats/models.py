from django.db import models
from django.utils.translation import gettext_lazy as _


class CrimeCategory(models.Model):
    """A category of reported crime following Brå's statistics (chapters and subcategories).

    Reference data shared by all kommuner (not tenant-owned). Priority crime categories of
    an agreement are matched to it by name or alias, case-insensitively.
    """

    slug = models.SlugField(_("key"), max_length=80, unique=True)
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
