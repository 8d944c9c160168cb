"""In-app notices and to-do marks (owned by the oversight-pages engineer)."""
