"""工作日历."""
from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "liuhen.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, models, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.YearSchedule.ledger_object_type, ledger_checks.check_schedule)
