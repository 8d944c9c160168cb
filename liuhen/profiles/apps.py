"""机关执法规则配置."""
from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "liuhen.profiles"
    label = "profiles"
    verbose_name = "机关执法规则配置"

    def ready(self):
        from django.core import checks as django_checks

        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import checks, ledger_checks, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(vocabulary.OBJECT_TYPE, ledger_checks.check)
        django_checks.register(checks.default_profile_setting)
