"""执行 — carrying out the decision (行政处罚法 66-73; 行政强制法 35-40, 53-54)."""
from django.apps import AppConfig


class ExecutionConfig(AppConfig):
    name = "liuhen.execution"
    label = "execution"
    verbose_name = "执行"

    def ready(self):
        pass
