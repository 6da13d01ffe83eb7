"""erase the text of comments already deleted

Revision ID: af423a230c42
Revises: 120e86256eed
Create Date: 2026-11-26 07:24:25.782360

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'af423a230c42'
down_revision = '120e86256eed'
branch_labels = None
depends_on = None


def upgrade():
    # Deleting a comment now erases its text; do the same for those deleted before,
    # and take them out of the report queue.
    op.execute(
        "UPDATE comments SET body = '', flagged_personal_data = false"
        " WHERE deleted_at IS NOT NULL"
    )
    op.execute(
        "UPDATE reports SET resolved_at = CURRENT_TIMESTAMP, resolution = 'deleted'"
        " WHERE resolved_at IS NULL AND target_type = 'comment' AND target_id IN"
        " (SELECT id FROM comments WHERE deleted_at IS NOT NULL)"
    )


def downgrade():
    pass  # erased text cannot come back
