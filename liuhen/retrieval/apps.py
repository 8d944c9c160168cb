"""档案利用 — who may look at an archived case file, for what, until when."""
from django.apps import AppConfig


class RetrievalConfig(AppConfig):
    name = "liuhen.retrieval"
    label = "retrieval"
    verbose_name = "档案利用"
