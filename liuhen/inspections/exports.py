"""The 抽检台账 as an Excel workbook (openpyxl): the rounds, every check of every sampled item's
current finding, and the failures per officer and per unit — each item under the officer (or 保管人),
unit and device it was attributed to at the draw (Round.attribution), not today's. Every text cell is written as text —
a note beginning with "=" never becomes a formula in the reader's spreadsheet."""
import io

from django.utils import timezone

from .models import Kind, Result

ROUND_HEADER = ["轮次", "抽检对象", "科室", "期间起", "期间止", "抽检人", "抽取时间", "总体数量", "样本数量",
                "随机种子", "总体摘要", "状态", "结束时间", "不合格项目数"]
FINDING_HEADER = ["轮次", "抽检对象", "科室", "期间", "序号", "抽检项目", "录制时间", "执法人员/保管人", "设备",
                  "检查项目", "依据", "结果", "说明", "备注", "检查人", "记录时间"]
COUNT_HEADER = ["统计", "名称", "有问题的项目数", "不合格检查项数"]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def round_row(lr) -> list:
    r = lr.round
    failed = sum(1 for i in lr.items if i.finding is not None and i.finding.failures)
    return [r.pk, Kind(r.kind).label, r.unit.name if r.unit_id else "全部科室", r.period_from.isoformat(),
            r.period_to.isoformat(), r.drawn_by.display_name, _local(r.drawn_at), r.population_size, len(r.sample),
            r.seed, r.population_digest, "已结束" if lr.closing else "进行中",
            _local(lr.closing.closed_at) if lr.closing else "", failed]


def finding_rows(lr):
    r = lr.round
    period = f"{r.period_from:%Y-%m-%d} 至 {r.period_to:%Y-%m-%d}"
    for item in lr.items:
        recorded = item.footage.recorded_local.replace("T", " ") if item.footage is not None else ""
        head = [r.pk, Kind(r.kind).label, item.unit.name if item.unit is not None else "", period, item.position,
                item.label, recorded, item.officer.display_name if item.officer is not None else "未归属",
                item.device_number]
        f = item.finding
        if f is None:
            yield head + ["", "", "未检查", "", "", "", ""]
            continue
        for c in f.checks:
            yield head + [c["label"], c["basis"], Result(c["result"]).label, c["note"], f.note,
                          f.inspector.display_name, _local(f.recorded_at)]


def _append(ws, values):
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text: never a formula
        cells.append(cell)
    ws.append(cells)


def xlsx_bytes(rounds, counts) -> tuple[bytes, int]:
    """(the workbook, how many finding rows it holds)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("抽检轮次")
    ws.append(ROUND_HEADER)
    for lr in rounds:
        _append(ws, round_row(lr))
    ws = wb.create_sheet("检查结果")
    ws.append(FINDING_HEADER)
    n = 0
    for lr in rounds:
        for row in finding_rows(lr):
            _append(ws, row)
            n += 1
    ws = wb.create_sheet("问题统计")
    ws.append(COUNT_HEADER)
    for label, key in (("执法人员", "officers"), ("科室", "units")):
        for name, items, checks in counts[key]:
            _append(ws, [label, name, items, checks])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), n
