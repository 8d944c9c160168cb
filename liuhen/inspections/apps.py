"""音像记录抽检."""
from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "liuhen.inspections"
    label = "inspections"
    verbose_name = "音像记录抽检"

    def ready(self):
        from django.core import checks

        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, models, vocabulary
        from .checks import checklist_setting, roles_setting

        checks.register(checklist_setting)
        checks.register(roles_setting)
        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.Round.ledger_object_type, ledger_checks.check_round)
        register_subject(models.Finding.ledger_object_type, ledger_checks.check_finding)
        register_subject(models.RoundClose.ledger_object_type, ledger_checks.check_close)
        # The inspector watches the sampled footage (LW-D 14: 抽检…记录的声像资料) on its play page.
        from liuhen.footage.selectors import register_view_policy

        from .selectors import sampled_footage_visible

        register_view_policy(sampled_footage_visible)
