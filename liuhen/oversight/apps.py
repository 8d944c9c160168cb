"""执法监督."""
from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "liuhen.oversight"
    label = "oversight"
    verbose_name = "执法监督"
