from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "liuhen.inspections"
    label = "inspections"
    verbose_name = "音像记录抽检"
