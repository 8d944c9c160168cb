"""Record content the tests share: a valid 现场检查笔录 (on-site inspection record)."""

INSPECTION = {
    "time": "2026-03-02T09:30",
    "place": "某村三号取水口",
    "certificates_shown": True,
    "present": "村委会主任",
    "findings": "现场发现一台水泵正在取水，未见取水许可证。",
}
