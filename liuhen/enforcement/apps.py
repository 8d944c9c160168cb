"""强制执行 — compulsory execution (行政强制法 35-40, 53-54)."""
from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "liuhen.enforcement"
    label = "enforcement"
    verbose_name = "强制执行"

    def ready(self):
        from . import checks, due, gates, parts

        checks.register()
        due.register()
        gates.register()
        parts.register()
