from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liuhen.accounts"
    label = "accounts"
    verbose_name = "机构与人员"

    def ready(self):
        from . import signals  # noqa: F401
