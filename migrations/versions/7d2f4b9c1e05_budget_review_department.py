"""budget proposals: 사업부서 that reviews feasibility; contest entries: the
department doing their 실무심사

Revision ID: 7d2f4b9c1e05
Revises: 3c9e1d0a7b21
Create Date: 2026-11-26 10:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2f4b9c1e05'
down_revision = '3c9e1d0a7b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_department', sa.String(length=40), nullable=True))
    with op.batch_alter_table('contest_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('screening_department', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('contest_entries', schema=None) as batch_op:
        batch_op.drop_column('screening_department')
    with op.batch_alter_table('budget_proposals', schema=None) as batch_op:
        batch_op.drop_column('review_department')
