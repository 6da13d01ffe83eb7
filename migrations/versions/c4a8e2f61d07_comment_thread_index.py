"""comments: an index for a page of top-level comments and their replies

Revision ID: c4a8e2f61d07
Revises: b7d1e5c3a912
Create Date: 2026-11-26 14:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4a8e2f61d07'
down_revision = 'b7d1e5c3a912'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_thread', ['discussion_id', 'parent_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_thread')
