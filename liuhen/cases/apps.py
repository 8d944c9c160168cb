from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "liuhen.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self):
        from liuhen.ledger.subjects import register_subject

        from . import ledger_checks

        register_subject("case", ledger_checks.check)
