"""案卷评查."""
from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "liuhen.evaluation"
    label = "evaluation"
    verbose_name = "案卷评查"
