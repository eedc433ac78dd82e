import contextvars

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from medborgarlofte.kommuner.models import Municipality


class User(AbstractUser):
    """A person who logs in. Roles are held per kommun through Membership."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Crime-prevention coordinator")
    POLICE = "police", _("Police (kommunpolis)")
    READER = "reader", _("Reader (local crime-prevention council)")
    REPORTER = "reporter", _("Incident reporter")


# Which party of an agreement a role speaks for when approving.
ROLE_PARTY_KIND = {Role.COORDINATOR: "municipality", Role.POLICE: "police"}


class Membership(models.Model):
    """A role held by a user in one kommun. A kommunpolis often holds two or three."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.municipality}"


# The one sanctioned way around the append-only guard: set only by
# accounts.audit.retention_disposal, which only the retention rules (apply_retention) use.
# It holds the cutoff: inside it, entries older than the cutoff may be deleted (and
# accounts.audit.blank_copied_text may blank the free text they copied), nothing else.
AUDIT_DISPOSAL_CUTOFF = contextvars.ContextVar("audit_disposal_cutoff", default=None)


class AuditEntryQuerySet(models.QuerySet):
    def _check_disposal(self) -> None:
        cutoff = AUDIT_DISPOSAL_CUTOFF.get()
        if cutoff is None:
            raise PermissionError("The audit log is append-only.")
        if super().filter(at__gte=cutoff).exists():
            raise PermissionError(
                "Only audit entries past their retention period can be disposed of."
            )

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        self._check_disposal()
        return super().delete()


class AuditEntry(models.Model):
    """One write (or one read of police-only material): who, when (UTC), what, before/after."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="audit_entries", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    @property
    def why(self) -> str:
        """Why police-only material was read (read entries only; accounts/police_reads.py)."""
        from .police_reads import READ_ACTION, describe

        return describe(self.after) if self.action == READ_ACTION else ""
