"""Benchmark of documents (执法文书, issue 16): one one-page document rendered alone, rendered and
sealed, and as DOCX — in one run, on one machine, so that the ratio is fair.

    .venv/bin/python bench/documents.py            # 10 repetitions of each (about a minute)
    .venv/bin/python bench/documents.py --quick    # 3 repetitions, under 30 s

1. Setup: a throw-away LIUHEN_HOME with its own SQLite database, django.setup(), `migrate`; the test
   world (an agency, its people: liuhen.testing.world) and one case taken to 调查取证 with a complete
   询问笔录 (every signature its rule asks) — the one-page document measured; the agency's seal
   certificate made by the local CA (its RSA keys are made once, before any timing).
2. Measure, each the median of --repeat runs after one warm-up (fonts loaded, templates compiled):
   - render: `render_pdf(record, number=…, verify_url=…)` (WeasyPrint, Noto CJK);
   - render + seal: the same, then `seal.seal_pdf` (pyHanko PAdES, SHA-256, RSA 2048);
   - seal alone (the difference, measured on its own);
   - DOCX: `render_docx(record)` when the renderer offers it;
   - issue: `services.issue_document` end to end, once per fresh complete record (the 文号, the
     sealed PDF and its PDF/A archive copy, both stored, the row and the ledger event).
   Wall time (time.perf_counter) and this process's CPU time (time.process_time).

stdout: a table, then as the LAST line one JSON object: render_ms, render_seal_ms, seal_ms,
seal_over_render (render_seal_ms / render_ms; the issue's target: at most 2), docx_ms (or null),
issue_ms, pdf_bytes, sealed_bytes, repeat, and the CPU figures (*_cpu_ms). Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from support.django_home import log, setup  # noqa: E402  (bench/support/django_home.py: the benchmarks' shared set-up)


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(median wall ms, median CPU ms, the last result) of `repeat` calls after one warm-up."""
    result = fn()
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append((time.perf_counter() - w0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(walls), statistics.median(cpus), result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repetitions (under 30 s)")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions of each measure (default 10)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 10)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="liuhen-bench-documents-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        log("migrate …")
        setup(home)
        from liuhen.documents import render, seal, services
        from liuhen.testing.cases import complete, to_investigation
        from liuhen.testing.world import World

        log("world, a case, a complete 询问笔录 …")
        world = World()
        case = to_investigation(world)
        record = complete(world, case, "inquiry_record")
        seal.ensure_certificate(world.agency)  # the local CA's keys: made once, not timed
        number, url = "测水询问笔录〔2026〕1号", "http://127.0.0.1:8000/v/AbCdEfGhIjK"

        log(f"render × {repeat} …")
        render_ms, render_cpu, pdf = timed(lambda: render.render_pdf(record, number=number, verify_url=url), repeat)
        log(f"render + seal × {repeat} …")
        both_ms, both_cpu, sealed = timed(
            lambda: seal.seal_pdf(render.render_pdf(record, number=number, verify_url=url), world.agency), repeat)
        seal_ms, seal_cpu, _ = timed(lambda: seal.seal_pdf(pdf, world.agency), repeat)
        docx_ms = docx_cpu = None
        render_docx = getattr(render, "render_docx", None)
        if render_docx is not None:
            log(f"docx × {repeat} …")
            docx_ms, docx_cpu, _ = timed(lambda: render_docx(record), repeat)
        log(f"issue × {repeat} …")
        records = [complete(world, case, "inquiry_record") for _ in range(repeat + 1)]
        it = iter(records)
        issue_ms, issue_cpu, _ = timed(lambda: services.issue_document(world.officer, next(it)), repeat)
        pages = _pages(sealed)

    figures = {
        "render_ms": round(render_ms, 1), "render_seal_ms": round(both_ms, 1), "seal_ms": round(seal_ms, 1),
        "seal_over_render": round(both_ms / render_ms, 2),
        "docx_ms": round(docx_ms, 1) if docx_ms is not None else None,
        "issue_ms": round(issue_ms, 1),
        "render_cpu_ms": round(render_cpu, 1), "render_seal_cpu_ms": round(both_cpu, 1),
        "seal_cpu_ms": round(seal_cpu, 1), "docx_cpu_ms": round(docx_cpu, 1) if docx_cpu is not None else None,
        "issue_cpu_ms": round(issue_cpu, 1),
        "pdf_bytes": len(pdf), "sealed_bytes": len(sealed), "pages": pages, "repeat": repeat,
        "total_s": round(time.perf_counter() - t0, 1),
    }
    rows = [("render alone (render_pdf)", render_ms, render_cpu), ("render + seal", both_ms, both_cpu),
            ("seal alone (pyHanko PAdES)", seal_ms, seal_cpu)]
    if docx_ms is not None:
        rows.append(("DOCX (render_docx)", docx_ms, docx_cpu))
    rows.append(("issue_document (number, 2 renders + 2 seals, store, row, event)", issue_ms, issue_cpu))
    print(f"one {pages}-page document, median of {repeat}:")
    print(f"{'measure':<66} {'wall ms':>9} {'CPU ms':>9}")
    for name, wall, cpu in rows:
        print(f"{name:<66} {wall:>9.1f} {cpu:>9.1f}")
    print(f"sealed / render alone: {figures['seal_over_render']:.2f}× (target ≤ 2×); "
          f"PDF {len(pdf)} B, sealed {len(sealed)} B")
    if docx_ms is None:
        print("DOCX: render_docx not available yet")
    print(json.dumps(figures, ensure_ascii=False))
    return figures


def _pages(pdf: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


if __name__ == "__main__":
    main()
