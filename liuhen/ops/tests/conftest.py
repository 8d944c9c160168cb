"""Fixtures of the ops tests: child processes on a database of their own (the ledger's)."""
from liuhen.testing.ledger_processes import child_env, template  # noqa: F401 — fixtures
