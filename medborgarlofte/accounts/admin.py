from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ExternalIdentity, GroupRole, IdentityProvider, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    # A role from an identity provider's group is replaced at the next sign-in through it;
    # the admin shows where a role came from but grants only roles by hand.
    fields = ["municipality", "role", "provider"]
    readonly_fields = ["provider"]


@admin.register(User)
class MedborgarlofteUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "is_active", "is_staff"]


# --- Two-step login devices ---------------------------------------------------------------
# django-otp's own admin shows an authenticator's secret key and QR code, and static
# recovery tokens in plain text: a superuser could copy them and pass anyone's second
# step (security finding 7, issue 11). Ours shows who has an authenticator and lets an
# administrator remove a lost one, nothing more. Recovery codes are not in the admin.
for _model in (StaticDevice, TOTPDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- Identity providers and their group → role mapping (accounts/sso.py) -----------------


class GroupRoleInlineFormSet(forms.BaseInlineFormSet):
    """A mapping row must lie inside the provider's kommuner and organisation's roles.
    sso.granted_roles ignores a row outside them anyway; this says so when it is written."""

    def clean(self):
        super().clean()
        provider = self.instance
        kommuner = set(provider.municipalities().values_list("pk", flat=True))
        roles = provider.allowed_roles()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            municipality, role = data.get("municipality"), data.get("role")
            if municipality is not None and municipality.pk not in kommuner:
                form.add_error(
                    "municipality",
                    _("This provider may not grant roles in %(kommun)s.")
                    % {"kommun": municipality},
                )
            if role and role not in roles:
                form.add_error("role", _("This provider's organisation may not grant this role."))


class GroupRoleInline(admin.TabularInline):
    model = GroupRole
    formset = GroupRoleInlineFormSet
    extra = 1
    autocomplete_fields = ["municipality"]


class IdentityProviderForm(forms.ModelForm):
    issuer = IdentityProvider._meta.get_field("issuer").formfield(assume_scheme="https")

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "organisation",
            "protocol",
            "municipality",
            "police_areas",
            "email_domains",
            "active",
            "issuer",
            "client_id",
            "secret_variable",
            "scopes",
            "saml_metadata",
            "groups_claim",
            "mfa_values",
            "revalidate_minutes",
            "deactivate_after_days",
        ]

    def clean(self):
        data = super().clean()
        organisation, protocol = data.get("organisation"), data.get("protocol")
        if organisation == Organisation.MUNICIPALITY and not data.get("municipality"):
            self.add_error("municipality", _("A kommun's provider needs its kommun."))
        if organisation == Organisation.POLICE:
            if data.get("municipality"):
                self.add_error("municipality", _("The police's provider has no single kommun."))
            if not data.get("police_areas", "").strip():
                self.add_error("police_areas", _("Name the police's local police areas."))
        if protocol == IdentityProvider.Protocol.OIDC:
            for name in ("issuer", "client_id", "secret_variable"):
                if not data.get(name):
                    self.add_error(name, _("Required for OpenID Connect."))
        if protocol == IdentityProvider.Protocol.SAML and not data.get("saml_metadata", "").strip():
            self.add_error("saml_metadata", _("Required for SAML."))
        return data


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    inlines = [GroupRoleInline]
    list_display = ["name", "slug", "organisation", "protocol", "active"]
    list_filter = ["organisation", "protocol", "active"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        from .tenancy import across_kommuner

        return across_kommuner(
            super().get_queryset(request),
            "the installation's operator sets up every organisation's sign-in service",
        )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Who came through which provider, and when the account was last vouched for or
    deactivated. Written by sign-in only (accounts/sso.py): read-only here."""

    list_display = ["user", "provider", "last_sign_in", "deactivated_at", "deactivation_reason"]
    list_filter = ["deactivation_reason"]
    search_fields = ["user__username", "subject"]
    fields = [
        "user",
        "provider",
        "subject",
        "first_sign_in",
        "last_sign_in",
        "deactivated_at",
        "deactivation_reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "provider")
