"""Decisions that a piece of text is not personal data (the publication gate, gate.py).

A PersonalDataDismissal records that a coordinator looked at one hit of the scanner in
one field of one row and judged it "inte en personuppgift", with a reason. It holds
only hashes: of the whole field text (so any edit of the text brings the hit back to
the gate) and of the hit itself, never the text.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.kommuner.models import Municipality


class PersonalDataDismissal(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=80)
    kind = models.CharField(max_length=40)
    text_hash = models.CharField(max_length=64, db_index=True)
    hit_hash = models.CharField(max_length=64)
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed personal data finding")
        verbose_name_plural = _("dismissed personal data findings")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "kind", "text_hash", "hit_hash"],
                name="personal_data_dismissal_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} {self.field}: {self.kind}"
