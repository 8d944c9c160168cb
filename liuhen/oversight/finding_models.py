"""The findings engine's tables (owned by the findings engineer)."""
