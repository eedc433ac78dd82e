"""Sign-in through an organisation's identity provider (issue 19; docs/sso.md).

The protocols (sso_oidc.py for OpenID Connect, sso_saml.py for SAML 2.0) check what the
provider sent and hand over an `Assertion`. Everything else is decided here, once:

- **Scope.** A provider grants only the roles its mapping (`GroupRole`) gives its groups,
  only in its own kommuner (`IdentityProvider.municipalities`: a kommun's provider its one
  kommun, the police's provider the kommuner of its lokalpolisområden) and only its
  organisation's roles (a kommun cannot make anyone police, the police cannot make anyone
  a coordinator). A mapping row outside that grants nothing, whoever wrote it.
- **Accounts follow the organisation.** The first sign-in with a role creates the account
  (no password, no name: the provider's e-mail address is the username). Every sign-in
  replaces the roles the provider gave last time; roles granted by hand stay. A sign-in
  with no role left is refused. An account is deactivated when the provider refuses it at
  revalidation, and after `deactivate_after_days` without a sign-in
  (`medborgarlofte deactivate_sso_accounts`).
- **The second step.** A provider that asserts multi-factor authentication (one of its
  `mfa_values` in amr/acr or the SAML AuthnContextClassRef) verifies the session through
  `ProviderMfaDevice`; otherwise the user meets this service's own TOTP step, as after a
  password.
- **Revalidation.** The session remembers when the provider last vouched for the user.
  After `revalidate_minutes` the protocol asks again (a refresh token for OpenID
  Connect; a new round trip for SAML) before the next request is served.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model, login, logout
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from . import audit
from .models import (
    ExternalIdentity,
    GroupRole,
    IdentityProvider,
    Membership,
    ProviderMfaDevice,
)
from .tenancy import across_kommuner

logger = logging.getLogger(__name__)

# The session key holding {"provider": slug, "checked_at": epoch seconds, ...} of a
# sign-in through a provider. The protocols may add their own keys (a refresh token).
SESSION_KEY = "medborgarlofte_sso"
BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Assertion:
    """What a provider vouched for, after the protocol checked its signature, audience,
    expiry and our request's nonce or ID."""

    subject: str
    email: str = ""
    groups: tuple[str, ...] = ()
    # The provider's own words on how the person authenticated: amr and acr values
    # (OpenID Connect) or the AuthnContextClassRef (SAML).
    authn_values: tuple[str, ...] = field(default_factory=tuple)


class SignInRefused(Exception):
    """The provider vouched for the person, but this service gives them no access. The
    message is for the person (Swedish through gettext)."""


def has_mfa(provider: IdentityProvider, assertion: Assertion) -> bool:
    return bool(provider.mfa_value_set() & set(assertion.authn_values))


def granted_roles(provider: IdentityProvider, groups) -> set[tuple[int, str]]:
    """(kommun id, role) pairs the provider's mapping gives these groups, inside the
    provider's kommuner and organisation's roles only."""
    groups = {str(group) for group in groups if str(group)}
    if not groups:
        return set()
    allowed_kommuner = set(provider.municipalities().values_list("pk", flat=True))
    allowed_roles = provider.allowed_roles()
    rows = GroupRole.objects.filter(provider=provider, group__in=groups)
    return {
        (row.municipality_id, row.role)
        for row in rows
        if row.municipality_id in allowed_kommuner and row.role in allowed_roles
    }


def providers_for(text: str):
    """Active providers found by an e-mail address or domain, or by a kommun's name:
    what the login page's "Log in with your organisation" searches."""
    from medborgarlofte.kommuner.models import Municipality

    query = text.strip().lower()
    providers = across_kommuner(
        IdentityProvider.objects.filter(active=True),
        "the login page finds an organisation's sign-in service before anyone is signed in",
    ).select_related("municipality")
    if not query:
        return []
    domain = query.rsplit("@", 1)[-1]
    found = [provider for provider in providers if domain in provider.domains()]
    if found:
        return found
    name = re.sub(r"\s+(kommun|stad)$", "", query).strip()
    kommuner = [
        municipality
        for municipality in Municipality.objects.all()
        if name and name in {municipality.name.lower(), municipality.official_name.lower()}
    ]
    if not kommuner:
        return []
    areas = {municipality.police_area for municipality in kommuner if municipality.police_area}
    ids = {municipality.pk for municipality in kommuner}
    return [
        provider
        for provider in providers
        if provider.municipality_id in ids or areas & set(provider.area_names())
    ]


def _username_for(provider: IdentityProvider, assertion: Assertion) -> str:
    User = get_user_model()
    email = assertion.email.strip().lower()
    digest = hashlib.sha256(f"{provider.slug}:{assertion.subject}".encode()).hexdigest()[:10]
    base = email[:150] if email else f"{provider.slug}-{digest}"
    if not User.objects.filter(username=base).exists():
        return base
    return f"{base[:139]}-{digest}"


def _sync_roles(user, provider: IdentityProvider, roles: set[tuple[int, str]]) -> list[str]:
    """Make the provider's memberships of the user exactly `roles`; returns what changed."""
    changes = []
    current = {
        (membership.municipality_id, membership.role): membership
        for membership in Membership.objects.filter(user=user, provider=provider)
    }
    for key, membership in current.items():
        if key not in roles:
            membership.delete()
            changes.append(f"-{key[1]}@{key[0]}")
    by_hand = set(
        Membership.objects.filter(user=user, provider__isnull=True).values_list(
            "municipality_id", "role"
        )
    )
    for municipality_id, role in sorted(roles - set(current) - by_hand):
        Membership.objects.create(
            user=user, municipality_id=municipality_id, role=role, provider=provider
        )
        changes.append(f"+{role}@{municipality_id}")
    return changes


def sign_in(request, provider: IdentityProvider, assertion: Assertion, **session_extra) -> object:
    """Log the person in as the account linked to (provider, subject), creating it on the
    first sign-in and refreshing its roles. Raises SignInRefused when they get no role
    (after committing what the refusal records: the audit entry, a deactivation)."""
    with transaction.atomic():
        outcome = _sign_in(request, provider, assertion, session_extra)
    if isinstance(outcome, SignInRefused):
        raise outcome
    return outcome


def _sign_in(request, provider, assertion, session_extra):
    if not provider.active:
        return SignInRefused(_("Sign-in through this organisation is turned off."))
    if not assertion.subject:
        return SignInRefused(_("The sign-in service did not say who you are."))
    roles = granted_roles(provider, assertion.groups)
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider, subject=assertion.subject)
        .first()
    )
    now = timezone.now()
    if identity is None:
        if not roles:
            audit.record(
                user=None,
                action="sso_refused",
                object_type="identityprovider",
                object_id=str(provider.pk),
                summary=f"{provider.slug}: no role",
            )
            return SignInRefused(
                _(
                    "Your organisation has not given you a role in this service. Ask the "
                    "coordinator of your kommun."
                )
            )
        User = get_user_model()
        user = User(username=_username_for(provider, assertion), email=assertion.email.lower())
        user.set_unusable_password()
        user.save()
        identity = ExternalIdentity.objects.create(
            provider=provider, subject=assertion.subject, user=user, last_sign_in=now
        )
        created = True
    else:
        user = identity.user
        created = False
    changes = _sync_roles(user, provider, roles)
    if not Membership.objects.filter(user=user).exists() and not user.is_staff:
        _deactivate(identity, "no_role", now)
        return SignInRefused(
            _(
                "Your organisation no longer gives you a role in this service. Ask the "
                "coordinator of your kommun."
            )
        )
    user.is_active = True
    if assertion.email and user.email != assertion.email.lower():
        user.email = assertion.email.lower()
    user.save(update_fields=["is_active", "email"])
    identity.last_sign_in = now
    identity.deactivated_at = None
    identity.deactivation_reason = ""
    identity.save(update_fields=["last_sign_in", "deactivated_at", "deactivation_reason"])
    request.session.cycle_key()
    login(request, user, backend=BACKEND)
    mfa = has_mfa(provider, assertion)
    if mfa:
        device, _created = ProviderMfaDevice.objects.get_or_create(
            user=user, name=provider.slug, defaults={"confirmed": True}
        )
        otp_login(request, device)
    request.session[SESSION_KEY] = {
        "provider": provider.slug,
        "checked_at": time.time(),
        "mfa": mfa,
        **session_extra,
    }
    audit.record(
        user=user,
        action="sso_sign_in",
        object_type="user",
        object_id=str(user.pk),
        summary=(
            f"{provider.slug}{' new account' if created else ''}"
            f"{' mfa' if mfa else ''} {' '.join(changes)}"
        ).strip(),
    )
    return user


@transaction.atomic
def refresh_roles(user, provider: IdentityProvider, groups) -> bool:
    """Revalidation brought the provider's groups anew: make the provider's roles of the
    user what they give now (as a sign-in would). False, and the account deactivated,
    when no role is left; the caller ends the session."""
    changes = _sync_roles(user, provider, granted_roles(provider, groups))
    if changes:
        audit.record(
            user=user,
            action="sso_roles",
            object_type="user",
            object_id=str(user.pk),
            summary=f"{provider.slug} {' '.join(changes)}",
        )
    if Membership.objects.filter(user=user).exists() or user.is_staff:
        return True
    identity = ExternalIdentity.objects.select_related("provider", "user").get(user=user)
    _deactivate(identity, "no_role", timezone.now())
    return False


def _deactivate(identity: ExternalIdentity, reason: str, now) -> None:
    user = identity.user
    identity.deactivated_at = now
    identity.deactivation_reason = reason
    identity.save(update_fields=["deactivated_at", "deactivation_reason"])
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    audit.record(
        user=None,
        action="sso_deactivate",
        object_type="user",
        object_id=str(user.pk),
        summary=f"{identity.provider.slug}: {reason}",
    )


@transaction.atomic
def deactivate(user, reason: str) -> None:
    """The provider refused the account (at revalidation): it may not log in again until
    the provider vouches for it at a new sign-in."""
    identity = ExternalIdentity.objects.select_related("provider", "user").get(user=user)
    _deactivate(identity, reason, timezone.now())


def deactivate_idle(now=None, *, dry_run: bool = False) -> list[ExternalIdentity]:
    """Deactivate the accounts whose provider has not vouched for them for longer than
    its `deactivate_after_days` (`medborgarlofte deactivate_sso_accounts`)."""
    now = now or timezone.now()
    idle = []
    identities = ExternalIdentity.objects.select_related("provider", "user").filter(
        user__is_active=True
    )
    for identity in identities:
        limit = identity.provider.deactivate_after_days
        if limit and (now - identity.last_sign_in).days >= limit:
            idle.append(identity)
            if not dry_run:
                with transaction.atomic():
                    _deactivate(identity, "idle", now)
    return idle


def session_provider(request) -> IdentityProvider | None:
    """The provider the logged-in session came through, or None for a local login."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    return (
        across_kommuner(
            IdentityProvider.objects.all(), "the provider a signed-in session came through"
        )
        .filter(slug=data.get("provider"))
        .first()
    )


def revalidation_due(request, provider: IdentityProvider) -> bool:
    data = request.session.get(SESSION_KEY) or {}
    checked = data.get("checked_at", 0)
    return time.time() - checked >= provider.revalidate_minutes * 60


def mark_revalidated(request, **session_extra) -> None:
    data = dict(request.session.get(SESSION_KEY) or {})
    data.update(session_extra, checked_at=time.time())
    request.session[SESSION_KEY] = data


def end_session(request, reason_message: str) -> None:
    from django.contrib import messages

    logout(request)
    messages.info(request, reason_message)
