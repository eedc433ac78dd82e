from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import sso_oidc, sso_saml, views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("organisation/", views.organisation_login, name="organisation-login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("forlang/", views.extend_session, name="extend-session"),
    path("sso/<slug:slug>/", views.sso_start, name="sso-start"),
    path("sso/<slug:slug>/oidc/svar/", sso_oidc.oidc_callback, name="oidc-callback"),
    path("mina-uppgifter/", views.my_data, name="my-data"),
    path("sso/<slug:slug>/saml/acs/", sso_saml.acs, name="saml-acs"),
    path("sso/<slug:slug>/saml/metadata/", sso_saml.metadata, name="saml-metadata"),
    path("tvastegs/", views.verify_two_factor, name="verify-two-factor"),
    path("tvastegs/aktivera/", views.setup_two_factor, name="setup-two-factor"),
    path(
        "tvastegs/reservkoder/", views.regenerate_recovery_codes, name="regenerate-recovery-codes"
    ),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password-change-done"),
        ),
        name="password-change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
    path("aterstall/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]
