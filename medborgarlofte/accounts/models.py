import contextvars

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

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
POLICE, MUNICIPALITY = "police", "municipality"
ROLE_PARTY_KIND = {Role.COORDINATOR: MUNICIPALITY, Role.POLICE: POLICE}


# --- Two-party approval (the services are in approvals.py) ------------------------------

PARTY_CHOICES = [(POLICE, _("Police")), (MUNICIPALITY, _("Municipality"))]


class PartyApproval(models.Model):
    """One party's approval of a document. The concrete model adds the foreign key to its
    document with related_name="approvals" and a unique constraint (document, party_kind)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    party_kind = models.CharField(max_length=20, choices=PARTY_CHOICES)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.party_kind}: {self.user}"


class ApprovableDocument:
    """Mixin for a document model with a `status`, `updated_at`, `municipality` and
    `approvals`. The status values are class attributes so each document keeps its own
    choices; APPROVAL_AGREED None means both approvals do not change the status here
    (the lägesbild freezes a version instead)."""

    APPROVAL_NOUN = ""  # in audit actions: approve_<noun>, withdraw_<noun>_approval, ...
    APPROVAL_DRAFT = "draft"
    APPROVAL_AGREED: str | None = "agreed"
    APPROVAL_FINAL = "published"  # no approval changes after this

    @property
    def approvals_final(self) -> bool:
        return self.status == self.APPROVAL_FINAL


# --- The kommun's decision on a statutory document (the services are in decisions.py) ---


class DecisionBody(models.TextChoices):
    """Who in the kommun decided (lag 2023:196 leaves the body to the kommun)."""

    KOMMUNSTYRELSEN = "kommunstyrelsen", _("Kommunstyrelsen")
    KOMMUNFULLMAKTIGE = "kommunfullmaktige", _("Kommunfullmäktige")
    NAMND = "namnd", _("A committee (nämnd)")


class DecisionRecord(models.Model):
    """The record of a political decision on a document: which body, when, the paragraph
    of the minutes and the diarienummer. Written once per decided document (the lägesbild
    version, the åtgärdsplan); a decided document is frozen. The concrete model adds a
    one-to-one key to its document with related_name="decision"."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("decided by"), max_length=30, choices=DecisionBody.choices)
    body_name = models.CharField(
        _("name of the committee"),
        max_length=200,
        blank=True,
        help_text=_("Only when a committee (nämnd) decided, e.g. Socialnämnden."),
    )
    decided_on = models.DateField(_("date of the decision"))
    paragraph = models.CharField(
        _("paragraph"), max_length=40, help_text=_("The paragraph of the minutes, e.g. § 123.")
    )
    reference = models.CharField(
        _("diarienummer"), max_length=80, help_text=_("The case number, e.g. KS 2023/145.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.body_label()} {self.decided_on.isoformat()} {self.paragraph}"

    def body_label(self) -> str:
        if self.body == DecisionBody.NAMND and self.body_name:
            return self.body_name
        return str(DecisionBody(self.body).label) if self.body in DecisionBody.values else self.body


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


# --- Recovery codes (two-step login) ---------------------------------------------------
# django-otp's static tokens are stored as written; ours are stored as keyed hashes, so a
# copy of the database (or an administrator) cannot read a code that still works
# (security finding 7, issue 11). The key is derived from SECRET_KEY; a rotated key is
# still accepted through SECRET_KEY_FALLBACKS.


def recovery_code_hashes(code: str) -> list[str]:
    """The stored form of a recovery code under the current key and every fallback key."""
    from django.utils.crypto import salted_hmac

    normalised = "".join(code.split()).replace("-", "").lower()
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(
            "medborgarlofte.accounts.recovery-code", normalised, secret=secret, algorithm="sha256"
        ).hexdigest()
        for secret in secrets
    ]


class RecoveryCodeDevice(Device):
    """One-time recovery codes as a django-otp device (used when the phone is lost)."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token) -> bool:
        if not isinstance(token, str) or not token.strip():
            return False
        hashes = recovery_code_hashes(token)
        found = self.codes.filter(code_hash__in=hashes).first()
        if found is None:
            return False
        found.delete()  # a code works once
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device.user} – {self._meta.verbose_name}"


# --- Comments between the parties on a draft (the services are in comments.py) ----------


class Comment(models.Model):
    """One comment by a party on a draft document, or a reply to one. Never public and
    never part of an exported document: only the staff pages of the document show it.

    The document is named by `document_kind` (registered in comments.py by the app that
    owns it: "agreement", "lagesbild", "followup") and its primary key; the anchor says
    what in it the comment is about (the whole document, a section, a commitment, a
    problem) by kind and a reference the owning app understands, with the label it had
    when the comment was written."""

    class Anchor(models.TextChoices):
        DOCUMENT = "document", _("the whole document")
        SECTION = "section", _("section")
        COMMITMENT = "commitment", _("commitment")
        PROBLEM = "problem", _("problem")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    document_kind = models.CharField(max_length=40)
    document_id = models.PositiveBigIntegerField()
    anchor_kind = models.CharField(max_length=20, choices=Anchor.choices, default=Anchor.DOCUMENT)
    anchor_ref = models.CharField(max_length=80, blank=True)
    anchor_label = models.CharField(max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["municipality", "document_kind", "document_id"])]

    def __str__(self) -> str:
        return f"{self.document_kind} {self.document_id}: {self.text[:40]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


# --- Per-user settings -------------------------------------------------------------------


class UserSettings(models.Model):
    """A user's own choices. One row per user, made when first changed (see settings_for)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="settings"
    )
    todo_digest = models.BooleanField(
        _("e-mail me my to-do list"),
        default=False,
        help_text=_("A daily e-mail with what waits for you, on days when anything does."),
    )
    # The day the last digest went out: the digest is sent at most once a day.
    todo_digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user settings")
        verbose_name_plural = _("user settings")

    def __str__(self) -> str:
        return f"{self.user}"
