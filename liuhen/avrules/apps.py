from django.apps import AppConfig


class AvrulesConfig(AppConfig):
    name = "liuhen.avrules"
    label = "avrules"
    verbose_name = "音像记录规则"

    def ready(self):
        from django.core import checks

        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import gates, ledger_checks, models, vocabulary
        from .checks import av_rules_setting

        checks.register(av_rules_setting)

        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.FieldTrip.ledger_object_type, ledger_checks.check_field_trip)
        register_subject(models.Interruption.ledger_object_type, ledger_checks.check_interruption)
        gates.register()  # the AV gate on leaving a stage, and the case page's 音像记录 part
        # 逾期存储 shown wherever footage is listed (the holding area, the search, the player).
        from liuhen.footage.selectors import register_flag_source

        from .selectors import late_flags

        register_flag_source(late_flags)
        # The footage taken from a device, on the device's history page (devices is below footage).
        from liuhen.devices.selectors import register_history_source

        from .supervision import device_footage_history

        register_history_source(device_footage_history)
