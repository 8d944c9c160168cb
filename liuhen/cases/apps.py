from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "liuhen.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, vocabulary

        register_subject("case", ledger_checks.check)
        register_read_actions(*vocabulary.READ_ACTIONS)
        # The names an agency profile may use for kinds, procedures, start modes and stages.
        from liuhen.profiles.loader import register_case_codes

        from .models import Kind, Procedure, Stage, StartMode

        register_case_codes(lambda: {"kinds": set(Kind.values), "procedures": set(Procedure.values),
                                     "start_modes": set(StartMode.values), "stages": set(Stage.values)})
