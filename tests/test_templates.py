"""Django's `{# … #}` comment is one line only: one spread over lines is shown to the user as text
(a case page once showed a developer's note on a phone). Every template's short comments close on
the line they open; longer ones use {% comment %}."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "liuhen"


def test_no_comment_spills_over_a_line():
    spilled = []
    for path in sorted(ROOT.rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = line
            while "{#" in rest:
                rest = rest[rest.index("{#") + 2:]
                if "#}" not in rest:
                    spilled.append(f"{path.relative_to(ROOT.parent)}:{n}")
                    break
                rest = rest[rest.index("#}") + 2:]
    assert spilled == []
