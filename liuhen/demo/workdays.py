"""Demo working-day calendar (演示工作日历), through the real service: the 系统管理员 韩立新
(hanlixin) loaded the State Council's 2025 and 2026 holiday notices (国办发明电〔2024〕12号,
国办发明电〔2025〕7号) from the files shipped in liuhen/workdays/schedules/ before the first case was opened, so
that /workdays/ shows both as loaded notices; 2027 stays unknown (no notice yet), and a deadline
reaching into it shows as unknown."""
import datetime

from django.utils import timezone

from liuhen.demo.footage import clock_at
from liuhen.workdays import services

SCHEDULES = {
    2025: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
    2026: "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
}


def build(builder) -> dict:
    from pathlib import Path

    admin = builder.people["hanlixin"]
    folder = Path(services.__file__).resolve().parent / "schedules"
    when = timezone.now()  # a timeline task (builder.py): now is the task's own day
    loaded = 0
    for i, (year, notice) in enumerate(sorted(SCHEDULES.items())):
        with clock_at(when + datetime.timedelta(minutes=5 * i)):
            services.load_file(admin, folder / f"{year}.yaml", reason=f"载入{notice}")
        loaded += 1
    return {"workday_schedules": loaded}
