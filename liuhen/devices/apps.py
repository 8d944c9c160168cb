from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "liuhen.devices"
    label = "devices"
    verbose_name = "音像记录设备"

    def ready(self):
        from django.core import checks

        from .checks import devices_setting

        checks.register(devices_setting)
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, models, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.Device.ledger_object_type, ledger_checks.check_device)
        register_subject(models.SignOut.ledger_object_type, ledger_checks.check_signout)
        register_subject(models.Return.ledger_object_type, ledger_checks.check_return)
        register_subject(models.DockStation.ledger_object_type, ledger_checks.check_station)
        register_subject(models.LifeEvent.ledger_object_type, ledger_checks.check_life_event)
