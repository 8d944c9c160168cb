"""责令改正 — orders to correct and their re-check (行政处罚法 28; BX 10, LC 23)."""
from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "liuhen.rectification"
    label = "rectification"
    verbose_name = "责令改正"

    def ready(self):
        from liuhen.records.duedates import register_due_source

        from . import checks, gates, parts, selectors

        checks.register()
        gates.register()
        parts.register()
        register_due_source("rectification", selectors.due_dates, content_codes=selectors.CODES)
