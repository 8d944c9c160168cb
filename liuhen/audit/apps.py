from django.apps import AppConfig


class AuditConfig(AppConfig):
    """审计 — the audit administrator's read-only screen over the ledger (等保 2.0 安全审计)."""

    name = "liuhen.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self):
        from liuhen.ledger.vocabulary import register_read_actions

        from .vocabulary import READ_ACTIONS

        register_read_actions(*READ_ACTIONS)
