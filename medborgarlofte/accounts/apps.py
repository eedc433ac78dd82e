from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medborgarlofte.accounts"
    label = "accounts"

    def ready(self):
        from . import tenancy

        tenancy.install()
