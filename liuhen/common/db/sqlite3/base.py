"""Django's SQLite backend, plus what the append-only triggers need.

The DELETE triggers on append-only tables (common.append_only.install_triggers) refuse every
delete unless `liuhen_flushing()` returns 1, which happens only while Django's own `flush` empties
the whole database (tests, a deliberate reset). Any other client — the sqlite3 shell included —
does not even have the function, so its DELETE fails as well.
"""
from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        self.connection.liuhen_flushing = True
        try:
            super().execute_sql_flush(sql_list)
        finally:
            self.connection.liuhen_flushing = False


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    liuhen_flushing = False

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        conn.create_function("liuhen_flushing", 0, lambda: 1 if self.liuhen_flushing else 0)
        return conn
