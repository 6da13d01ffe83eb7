"""Count SQL statements, to guard pages against N+1 queries."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from gwanak.core.extensions import db


@contextmanager
def count_queries():
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
