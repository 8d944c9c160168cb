"""涉案财物 — seized and confiscated property (LQ 13(四); 行政强制法 24-28)."""
from django.apps import AppConfig


class CasePropertyConfig(AppConfig):
    name = "liuhen.caseproperty"
    label = "caseproperty"
    verbose_name = "涉案财物"

    def ready(self):
        pass
