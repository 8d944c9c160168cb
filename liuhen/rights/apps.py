"""当事人的权利 before a penalty decision (行政处罚法 44-45, 63-65)."""
from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "liuhen.rights"
    label = "rights"
    verbose_name = "陈述申辩与听证"

    def ready(self):
        from . import checks, parts

        checks.register()
        parts.register()
