"""The repository stands alone: nothing reads outside it, and every article the code cites can be
looked up in docs/regulations/ (issue 12 §1)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGULATIONS = ROOT / "docs" / "regulations"
SOURCES = [p for p in (ROOT / "liuhen").rglob("*.py")] + [ROOT / "conftest.py", ROOT / "Makefile"] + [
    *(ROOT / "scripts").glob("*"), *(ROOT / "bench").glob("*.py"), *(ROOT / "tests").rglob("*.py")]
OUTSIDE = "../" + "shared"  # the folder beside the repository that a clone does not have
# "LQ 17", "LW-L 15", "BX 5-6", "LC 7,8": a key and the articles it names.
CITATION = re.compile(r"\b(BX|LC|LQ|AS|LW-[PRDL])[ ]((?:\d+)(?:[-,–](?:\d+))*)\b")
DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """3 → 三, 10 → 十, 17 → 十七, 25 → 二十五 (how the texts number their articles)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def articles(key: str) -> set[int]:
    text = (REGULATIONS / f"{key}.txt").read_text(encoding="utf-8")
    found = set()
    for n in range(1, 100):
        if f"第{n}条" in text or f"第{chinese(n)}条" in text:
            found.add(n)
    return found


def cited(spec: str) -> list[int]:
    out = []
    for part in spec.split(","):
        a, _, b = part.replace("–", "-").partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def test_nothing_reads_outside_the_repository():
    this = Path(__file__).resolve()
    offenders = [str(p.relative_to(ROOT)) for p in SOURCES
                 if p.is_file() and p.resolve() != this and OUTSIDE in p.read_text(encoding="utf-8", errors="replace")]
    assert offenders == []


def test_vectors_are_in_the_repository():
    vectors = ROOT / "liuhen" / "ledger" / "tests" / "vectors"
    for folder in ("merkle", "checkpoint", "sm"):
        assert any((vectors / folder).iterdir()), folder
    assert "transparency-dev/merkle" in (vectors / "README.md").read_text(encoding="utf-8")


def test_every_cited_article_exists():
    index = {key: articles(key) for key in ("BX", "LC", "LQ", "AS", "LW-P", "LW-R", "LW-D", "LW-L")}
    assert all(index.values()), {k: len(v) for k, v in index.items()}
    missing = set()
    seen = 0
    for path in SOURCES:
        if not path.is_file() or path.suffix not in (".py", ""):
            continue
        for key, spec in CITATION.findall(path.read_text(encoding="utf-8", errors="replace")):
            for n in cited(spec):
                seen += 1
                if n not in index[key]:
                    missing.add(f"{path.relative_to(ROOT)}: {key} {n}")
    assert seen > 20  # the code does cite its articles: a scan that finds nothing is a broken scan
    assert sorted(missing) == []


def test_chinese_numerals():
    assert [chinese(n) for n in (1, 10, 11, 20, 25, 36)] == ["一", "十", "十一", "二十", "二十五", "三十六"]


def test_test_modules_do_not_import_one_another():
    """Shared builders live in liuhen/testing/, shared fixtures in a conftest.py: a test module that
    imports another runs that module's tests' imports and fixtures twice, and couples two files
    that should change apart (issue 12 §7)."""
    import ast

    offenders = []
    for path in [*(ROOT / "liuhen").rglob("test_*.py"), *(ROOT / "tests").rglob("test_*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                last = name.rsplit(".", 1)[-1]
                if last.startswith("test_") or last == "conftest" or ".tests." in f".{name}.":
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
