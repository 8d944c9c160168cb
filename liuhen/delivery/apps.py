"""送达 — service of documents (行政处罚法 61)."""
from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "liuhen.delivery"
    label = "delivery"
    verbose_name = "送达"

    def ready(self):
        from . import checks, gates, parts

        checks.register()
        gates.register()
        parts.register()
