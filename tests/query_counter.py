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


def statements_for(client, url: str) -> int:
    """SQL statements one GET of `url` costs once the process is warm.

    The first request of a client also counts its visit and fills the footer's
    figures (both per process), so it is made once before counting."""
    assert client.get(url).status_code == 200
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)
