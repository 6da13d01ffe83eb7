"""Migrations applied from empty match the models (`flask db check`), on both databases."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from gwanak import create_app
from gwanak.core.extensions import db
from tests.conftest import base_config, is_postgres


def _check(db_url: str, tmp_path) -> None:
    app = create_app(base_config(db_url) | {"UPLOAD_DIR": str(tmp_path)})
    with app.app_context():
        upgrade()
        config = app.extensions["migrate"].migrate.get_config()
        command.check(config)  # raises if the models and the migrations differ
        db.engine.dispose()


def test_migrations_from_empty_match_the_models_on_sqlite(tmp_path):
    _check("sqlite:///" + str(tmp_path / "fresh.sqlite3"), tmp_path)


@pytest.mark.skipif(not is_postgres(), reason="PostgreSQL run only")
def test_migrations_from_empty_match_the_models_on_postgresql(db_url, tmp_path):
    name = "gwanak_check_" + uuid.uuid4().hex[:8]
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _check(db_url.rsplit("/", 1)[0] + "/" + name, tmp_path)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
