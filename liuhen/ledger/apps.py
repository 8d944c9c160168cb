from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "liuhen.ledger"
    label = "ledger"
    verbose_name = "留痕日志"

    def ready(self):
        from django.core import checks

        from . import identity  # noqa: F401 — connects its setting_changed receiver
        from .checks import ledger_configuration

        checks.register(ledger_configuration, "ledger")
