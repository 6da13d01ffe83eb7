"""proposals imported from the old portal

Revision ID: 71b67b65dcbd
Revises: 480d3d588dd2
Create Date: 2026-11-26 09:59:04.582328

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '71b67b65dcbd'
down_revision = '480d3d588dd2'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN and CREATE INDEX: a batch (copy-and-move) rebuild of proposals on
    # SQLite would drop the FTS5 triggers that keep proposal search in step.
    op.add_column("proposals", sa.Column("legacy_id", sa.String(length=40), nullable=True))
    op.add_column("proposals", sa.Column("legacy_author", sa.String(length=40), nullable=True))
    op.create_index("ix_proposals_legacy_id", "proposals", ["legacy_id"], unique=True)


def downgrade():
    op.drop_index("ix_proposals_legacy_id", table_name="proposals")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("legacy_author")
        batch_op.drop_column("legacy_id")
