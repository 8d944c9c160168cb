from django.apps import AppConfig


class CopiesConfig(AppConfig):
    name = "liuhen.copies"
    label = "copies"
    verbose_name = "证据复制（移送检察院、法院）"
