"""The demo's findings (问题发现): one full scan once every case is built, so that the open
findings, their `opened` events and the cases' clocks are in the oversight tables from the start
(the demo is built in one transaction, whose commit would otherwise re-check only through the
signals). Call it last in `_Builder.build()`: `self.counts.update(demo_findings.build(self))`."""


def build(builder) -> dict:
    from liuhen.oversight import engine

    result = engine.scan()
    return {"findings": len(result.findings)}
