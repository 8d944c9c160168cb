from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "liuhen.retention"
    label = "retention"
    verbose_name = "音像资料保存与清理"
