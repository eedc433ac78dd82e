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
    # Set when the role came from an identity provider's group claim: refreshed at every
    # sign-in through it (accounts/sso.py). Blank for a role granted by hand.
    provider = models.ForeignKey(
        "IdentityProvider", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

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


# --- Sign-in through an organisation's identity provider (services in sso.py) -----------


class Organisation(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")


# What the mapping may grant: a kommun's provider the kommun's roles, the police's
# provider the police role. Neither may grant the other's (accounts/sso.py).
ORGANISATION_ROLES = {
    Organisation.MUNICIPALITY: {Role.COORDINATOR, Role.READER, Role.REPORTER},
    Organisation.POLICE: {Role.POLICE},
}

# Values of the OIDC `amr` and `acr` claims and of SAML's AuthnContextClassRef that say
# the person used more than one factor: RFC 8176's "mfa", Microsoft Entra ID and ADFS,
# REFEDS MFA (SWAMID), and the Swedish eID assurance levels 3 and 4 (DIGG), which demand
# two factors.
DEFAULT_MFA_VALUES = "\n".join(
    [
        "mfa",
        "http://schemas.microsoft.com/claims/multipleauthn",
        "https://refeds.org/profile/mfa",
        "http://id.elegnamnden.se/loa/1.0/loa3",
        "http://id.elegnamnden.se/loa/1.0/loa4",
    ]
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class IdentityProvider(models.Model):
    """An organisation's sign-in service (OpenID Connect or SAML 2.0) that this
    installation trusts: one kommun's, or the police's for its lokalpolisområden.

    The client secret of an OpenID Connect provider is never stored here: it is read from
    the environment variable named by `secret_variable` (docs/sso.md)."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    slug = models.SlugField(
        _("short name"), unique=True, help_text=_("Used in addresses, e.g. mullsjo.")
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("Shown on the login page, e.g. Mullsjö kommun.")
    )
    organisation = models.CharField(_("organisation"), max_length=20, choices=Organisation.choices)
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("A kommun's provider: the one kommun it may grant roles in."),
    )
    police_areas = models.TextField(
        _("local police areas"),
        blank=True,
        help_text=_(
            "The police's provider: one lokalpolisområde per line. It may grant the police "
            "role in these areas' kommuner only."
        ),
    )
    email_domains = models.CharField(
        _("e-mail domains"),
        max_length=300,
        blank=True,
        help_text=_("Found on the login page by these, e.g. mullsjo.se (commas between)."),
    )
    active = models.BooleanField(_("in use"), default=True)
    # OpenID Connect
    issuer = models.URLField(
        _("issuer"),
        blank=True,
        help_text=_("OpenID Connect: the issuer; its discovery document is read from it."),
    )
    client_id = models.CharField(_("client ID"), max_length=200, blank=True)
    secret_variable = models.CharField(
        _("environment variable with the client secret"),
        max_length=100,
        blank=True,
        help_text=_("OpenID Connect: e.g. MEDBORGARLOFTE_SSO_MULLSJO_SECRET."),
    )
    scopes = models.CharField(
        _("scopes"), max_length=200, default="openid email profile offline_access"
    )
    # SAML 2.0
    saml_metadata = models.TextField(
        _("SAML metadata of the identity provider"),
        blank=True,
        help_text=_("SAML: the provider's metadata XML, pasted whole."),
    )
    groups_claim = models.CharField(
        _("claim or attribute with the groups"),
        max_length=200,
        default="groups",
        help_text=_(
            "Entra ID: groups (OpenID Connect) or "
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups (SAML)."
        ),
    )
    mfa_values = models.TextField(
        _("values that mean multi-factor authentication"),
        default=DEFAULT_MFA_VALUES,
        help_text=_(
            "One per line: amr or acr values (OpenID Connect) or AuthnContextClassRef "
            "(SAML). A sign-in with none of them gets this service's own second step."
        ),
    )
    revalidate_minutes = models.PositiveIntegerField(
        _("check the account with the provider every (minutes)"), default=60
    )
    deactivate_after_days = models.PositiveIntegerField(
        _("deactivate accounts not signed in for (days)"), default=90
    )

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def domains(self) -> list[str]:
        return [domain.lower().lstrip("@") for domain in _lines(self.email_domains)]

    def area_names(self) -> list[str]:
        return _lines(self.police_areas)

    def mfa_value_set(self) -> set[str]:
        return set(_lines(self.mfa_values))

    def municipalities(self):
        """The kommuner this provider may grant roles in, and no other."""
        if self.organisation == Organisation.MUNICIPALITY:
            return Municipality.objects.filter(pk=self.municipality_id)
        if self.organisation == Organisation.POLICE:
            return Municipality.objects.filter(police_area__in=self.area_names())
        return Municipality.objects.none()

    def allowed_roles(self) -> set[str]:
        return set(ORGANISATION_ROLES.get(self.organisation, set()))


class GroupRole(models.Model):
    """A group of the provider's that gives a role in one kommun. An administrator edits
    the mapping; a row outside the provider's kommuner or roles grants nothing."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="group_roles"
    )
    group = models.CharField(
        _("group"),
        max_length=200,
        help_text=_("The group's value in the claim, e.g. an Entra ID group's object ID."),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("group and role")
        verbose_name_plural = _("groups and roles")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "group", "municipality", "role"], name="group_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()} – {self.municipality}"


class ExternalIdentity(models.Model):
    """The link between a user and the person at a provider (OIDC `sub`, SAML NameID).
    No name is stored: the provider's e-mail address becomes the username."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.PROTECT, related_name="identities"
    )
    subject = models.CharField(max_length=255)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity"
    )
    first_sign_in = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField()
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivation_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider.slug}: {self.user}"


class ProviderMfaDevice(Device):
    """The identity provider asserted multi-factor authentication at sign-in. A django-otp
    device so that the session counts as verified (`user.is_verified()`); it never
    accepts a code typed in."""

    class Meta:
        verbose_name = _("multi-factor authentication at the identity provider")
        verbose_name_plural = _("multi-factor authentication at the identity provider")

    def verify_token(self, token) -> bool:
        return False
