"""search_grams: a bigram index that finds two-syllable words on both databases

Replaces the FTS5 trigram table (SQLite) and the pg_trgm indexes (PostgreSQL):
neither can look up a two-character term such as 교통, and the GIN indexes were
rewritten on every 공감 (a non-HOT update of proposals).

Revision ID: b1a7c0de2f10
Revises: 7d2f4b9c1e05
Create Date: 2026-11-26 10:05:00

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1a7c0de2f10'
down_revision = '7d2f4b9c1e05'
branch_labels = None
depends_on = None

WORD = re.compile(r"\w+")


def _bigrams(*texts):
    # The same rule as gwanak.core.search_index.bigrams, frozen here.
    grams = set()
    for text in texts:
        for word in WORD.findall((text or "").casefold()):
            grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return grams


def _backfill():
    bind = op.get_bind()
    grams = sa.table(
        "search_grams", sa.column("kind"), sa.column("gram"), sa.column("item_id")
    )
    after = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, board, title, body FROM proposals WHERE id > :after "
                "AND hidden_at IS NULL AND state <> 'withdrawn' ORDER BY id LIMIT 2000"
            ),
            {"after": after},
        ).all()
        if not rows:
            break
        values = [
            # One kind per board; only proposals a list can show are indexed.
            {"kind": f"proposal:{board}", "gram": g, "item_id": pid}
            for pid, board, title, body in rows
            for g in _bigrams(title, body)
        ]
        if values:
            bind.execute(sa.insert(grams), values)
        after = rows[-1][0]


def upgrade():
    op.create_table(
        'search_grams',
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('gram', sa.String(length=2), nullable=False),
        sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('kind', 'gram', 'item_id', name=op.f('pk_search_grams')),
        sqlite_with_rowid=False,
    )
    _backfill()
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in (
            "DROP TRIGGER IF EXISTS proposals_fts_update",
            "DROP TRIGGER IF EXISTS proposals_fts_delete",
            "DROP TRIGGER IF EXISTS proposals_fts_insert",
            "DROP TABLE IF EXISTS proposals_fts",
        ):
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_proposals_body_trgm")
        op.execute("DROP INDEX IF EXISTS ix_proposals_title_trgm")


def downgrade():
    op.drop_table('search_grams')
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in (
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
        ):
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_proposals_title_trgm ON proposals USING gin (title gin_trgm_ops)"
        )
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_proposals_body_trgm ON proposals USING gin (body gin_trgm_ops)"
        )
