"""执法监督 exports as Excel workbooks (openpyxl): the findings with the page's filters applied, and
the statistics of cases. Chinese headers; every text cell written as text (a message beginning with
"=" never becomes a formula in the reader's spreadsheet). The view logs each download as a read
event with the workbook's SHA-256 and its row count (oversight.export)."""
import io

from django.utils import timezone

from .stats import CaseStats, FindingStats, code_label

FINDING_HEADER = ["发现时间", "案件编号", "案由", "科室", "执法人员", "问题类型代码", "问题类型", "严重程度", "阶段",
                  "依据", "问题", "整改建议", "整改情况"]
TALLY_HEADER = ["统计", "名称", "发现问题数", "未整改", "已整改"]
MONTH_HEADER = ["月份", "发现问题数", "其中未整改", "当月整改数"]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _append(ws, values):
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text stays text: never a formula
        cells.append(cell)
    ws.append(cells)


def _stage_label(stage: str) -> str:
    from liuhen.cases.models import Stage

    return Stage(stage).label if stage in Stage.values else stage


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def findings_xlsx(fs: FindingStats, filters: list[tuple[str, str]]) -> tuple[bytes, int]:
    """(the workbook, how many finding rows it holds)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问题清单")
    ws.append(FINDING_HEADER)
    for r in fs.rows:
        e = r.event
        _append(ws, [_local(e.at), e.case.number, e.case.title, e.unit.name,
                     e.officer.display_name if e.officer_id else "", e.code, code_label(e.code),
                     e.get_severity_display(), _stage_label(e.stage), e.article, e.message, e.fix, r.status_label])
    ws = wb.create_sheet("分类统计")
    ws.append(TALLY_HEADER)
    for name, tallies in (("科室", fs.by_unit), ("执法人员", fs.by_officer), ("问题类型", fs.by_code),
                          ("严重程度", fs.by_severity)):
        for t in tallies:
            _append(ws, [name, t.label, t.found, t.open, t.resolved])
    _append(ws, ["合计", "全部", fs.total.found, fs.total.open, fs.total.resolved])
    ws = wb.create_sheet("按月统计")
    ws.append(MONTH_HEADER)
    for t in fs.by_month:
        _append(ws, [t.key, t.found, t.open, t.resolved_in_month])
    _filters_sheet(wb, filters)
    return _save(wb), len(fs.rows)


def stats_xlsx(cs: CaseStats, filters: list[tuple[str, str]]) -> tuple[bytes, int]:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("案件统计")
    ws.append(["统计", "名称", "案件数"])
    for label, n in cs.by_kind:
        _append(ws, ["执法类别", label, n])
    for label, n in cs.by_stage:
        _append(ws, ["当前阶段", label, n])
    _append(ws, ["合计", "期间立案", cs.total])
    ws = wb.create_sheet("按月统计")
    ws.append(["月份", "立案数", "归档数"])
    for label, a, b in cs.by_month:
        _append(ws, [label, a, b])
    ws = wb.create_sheet("期限按期率")
    ws.append(["期限", "依据", "按期完成", "逾期完成", "已逾期未完成", "进行中", "无法计算", "按期率（%）"])
    for o in cs.on_time:
        _append(ws, [o.label, o.article, o.met, o.met_late, o.overdue, o.running, o.unknown,
                     o.rate if o.rate is not None else ""])
    _filters_sheet(wb, filters)
    return _save(wb), len(cs.by_kind) + len(cs.by_stage) + len(cs.by_month) + len(cs.on_time)


def _filters_sheet(wb, filters):
    ws = wb.create_sheet("筛选条件")
    ws.append(["条件", "值"])
    for label, value in filters:
        _append(ws, [label, value])
    _append(ws, ["导出时间", _local(timezone.now())])
