"""A 案卷评查 round as an Excel workbook (openpyxl): the round, each file's score with its sections,
every item that failed or lost points with its note, the unit's answers, and the grade distribution.
Every text cell is written as text — a note beginning with "=" never becomes a formula."""
import io

from django.utils import timezone

from .models import Stance

ROUND_HEADER = ["轮次", "评查名称", "承办机构", "执法类别", "归档日期起", "归档日期止", "组织人", "抽取时间",
                "总体数量", "样本数量", "随机种子", "总体摘要", "状态"]
FILE_HEADER = ["序号", "案件编号", "案由", "承办机构", "评查标准", "一票否决", "分项得分", "总分", "等次",
               "评查意见", "评查人", "评分时间", "整改反馈"]
ITEM_HEADER = ["序号", "案件编号", "评查项目", "分值", "结果", "扣分", "说明"]
GRADE_HEADER = ["等次", "案卷数", "占已评比例（%）"]


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


def xlsx_bytes(round_, files, grades) -> tuple[bytes, int]:
    """(the workbook, how many file rows it holds)."""
    from openpyxl import Workbook

    closed = _has_closing(round_)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("评查轮次")
    ws.append(ROUND_HEADER)
    _append(ws, [round_.pk, round_.title, round_.unit.name if round_.unit_id else "全部",
                 round_.kind_label, round_.period_from.isoformat(),
                 round_.period_to.isoformat(), round_.opened_by.display_name, _local(round_.opened_at),
                 round_.population_size, len(round_.sample), round_.seed, round_.population_digest,
                 "已结束" if closed else "进行中"])
    ws = wb.create_sheet("案卷评分")
    ws.append(FILE_HEADER)
    items = wb.create_sheet("扣分明细")
    items.append(ITEM_HEADER)
    for f in files:
        case = f.case
        head = [f.position, case.number if case else "", case.title if case else "",
                case.unit.name if case else "", f"{f.card['name']}（第 {f.card['version']} 版）"]
        s = f.score
        if s is None:
            _append(ws, head + ["", "", "", "未评分", "", "", "", ""])
            continue
        answers = "；".join(f"{a.answered_by.display_name} {Stance(a.stance).label}"
                           + (f"：{a.reason}" if a.reason else "") + (f"（整改：{a.corrected}）" if a.corrected else "")
                           for a in f.answers)
        _append(ws, head + ["是" if s.hard_failed else "否",
                            "；".join(f"{x['label']} {x['score']}/{x['points']}" for x in s.sections), s.total, s.grade,
                            s.note, s.evaluator.display_name, _local(s.recorded_at), answers])
        for r in s.rows:
            if r["failed"] or r["deduction"]:
                _append(items, [f.position, case.number if case else "", r["label"], r["points"],
                                "不符合（否决）" if r["failed"] else "扣分", r["deduction"], r["note"]])
    ws = wb.create_sheet("等次分布")
    ws.append(GRADE_HEADER)
    for label, n, percent in grades:
        _append(ws, [label, n, percent])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), len(files)


def _has_closing(round_) -> bool:
    from .models import RoundClose

    return RoundClose.objects.filter(round=round_).exists()
