from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liuhen.accounts"
    label = "accounts"
    verbose_name = "机构与人员"

    def ready(self):
        from liuhen.ledger.subjects import register_subject

        from . import ledger_checks, signals  # noqa: F401

        register_subject("user", ledger_checks.check)
