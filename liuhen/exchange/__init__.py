"""数据交换 — the exchange API for supervision and provincial platforms (issue 21 §1)."""
