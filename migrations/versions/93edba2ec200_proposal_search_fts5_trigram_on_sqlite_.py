"""proposal search: FTS5 trigram on SQLite, pg_trgm on PostgreSQL

Revision ID: 93edba2ec200
Revises: af13106f83b9
Create Date: 2026-11-25 23:47:09.071843

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '93edba2ec200'
down_revision = 'af13106f83b9'
branch_labels = None
depends_on = None


SQLITE_UP = [
    # External-content FTS5 table over proposals' title and body; the trigram
    # tokenizer matches any part of a Korean word of three characters or more.
    "CREATE VIRTUAL TABLE proposals_fts USING fts5(title, body, content='proposals', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN "
    "INSERT INTO proposals_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN "
    "INSERT INTO proposals_fts(proposals_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER proposals_fts_update AFTER UPDATE OF title, body ON proposals BEGIN "
    "INSERT INTO proposals_fts(proposals_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO proposals_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "INSERT INTO proposals_fts(proposals_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS proposals_fts_update",
    "DROP TRIGGER IF EXISTS proposals_fts_delete",
    "DROP TRIGGER IF EXISTS proposals_fts_insert",
    "DROP TABLE IF EXISTS proposals_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_proposals_title_trgm ON proposals USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_proposals_body_trgm ON proposals USING gin (body gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_proposals_body_trgm",
    "DROP INDEX IF EXISTS ix_proposals_title_trgm",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRES_UP)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWN)
