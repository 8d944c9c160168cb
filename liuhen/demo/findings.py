"""The demo's findings (问题发现): one full scan once every case is built, so that the open
findings, their `opened` events and the cases' clocks are in the oversight tables from the start
(the demo is built in one transaction, whose commit would otherwise re-check only through the
signals). Called last in `_Builder.build()`, and as a timeline task once a week over the three months of
history (builder.py), as a nightly `liuhen check` would have run: the scan reads the clock the
timeline set, so findings open and are resolved on the days the facts made them so."""


def build(builder) -> dict:
    from liuhen.oversight import engine

    result = engine.scan()
    return {"findings": len(result.findings)}
