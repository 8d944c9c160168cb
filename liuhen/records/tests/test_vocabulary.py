"""The records app's action names and finding codes live in one vocabulary module (issue 12 §7)."""
import ast
import pathlib
import re

from liuhen.records import vocabulary as V

APP = pathlib.Path(V.__file__).parent


def test_no_action_literals_outside_the_vocabulary():
    for name in ("services.py", "views.py", "ledger_checks.py", "catalog_sync.py", "selectors.py"):
        source = (APP / name).read_text(encoding="utf-8")
        strings = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert not [s for s in strings if re.fullmatch(r"records?\.[a-z_]+", s)], name


def test_every_finding_has_a_listed_code():
    source = (APP / "ledger_checks.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "finding"]
    assert calls
    for call in calls:
        codes = [k.value for k in call.keywords if k.arg == "code"]
        assert codes and isinstance(codes[0], ast.Attribute) and codes[0].value.id == "V", ast.unparse(call)
        assert re.fullmatch(r"records\.E\d{3}", getattr(V, codes[0].attr))


def test_codes_are_distinct_and_reads_are_actions():
    codes = [v for k, v in vars(V).items() if re.fullmatch(r"E\d{3}", k)]
    assert len(codes) == len(set(codes))
    assert V.READ_ACTIONS == {V.VIEW, V.DOWNLOAD, V.MARK_VIEW, V.REFUSED} and not V.READ_ACTIONS & V.WRITES
