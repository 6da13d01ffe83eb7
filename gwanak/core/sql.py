"""Small SQL shapes the features share, written once for both databases."""

from __future__ import annotations

from functools import cache

from sqlalchemy.dialects import postgresql, sqlite


@cache
def _insert_ignoring_statement(dialect_name: str, model):
    # Built once per table; the values are bound at each use.
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    key = next(iter(model.__table__.primary_key.columns))
    return dialect.insert(model.__table__).on_conflict_do_nothing().returning(key)


def insert_ignoring(executor, model, values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row went in.

    `executor` is a Connection or the Session. RETURNING tells whether a row went in
    (psycopg reports no rowcount for it); a conflict costs no exception and no rollback,
    so the transaction goes on."""
    bind = executor.get_bind() if hasattr(executor, "get_bind") else executor
    statement = _insert_ignoring_statement(bind.dialect.name, model)
    return executor.execute(statement, values).first() is not None
