"""organisation: departments table (loaded from gwanak/data/organisation.json) and
proposals' 협조 부서

Revision ID: 3c9e1d0a7b21
Revises: af423a230c42
Create Date: 2026-11-26 10:05:00

"""
import json
from datetime import datetime, timezone
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c9e1d0a7b21'
down_revision = 'af423a230c42'
branch_labels = None
depends_on = None

ORGANISATION = Path(__file__).resolve().parents[2] / "gwanak" / "data" / "organisation.json"


def upgrade():
    departments = op.create_table(
        'departments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('group', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=4), nullable=False),
        sa.Column('dong', sa.String(length=40), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.Column('former_names', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['merged_into_id'], ['departments.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
        sa.UniqueConstraint('name'),
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cooperating', sa.JSON(), nullable=True))
    # The organisation as it stands today; users.department already holds these names
    # (the three menu owners), so staff rows need no change.
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    units = json.loads(ORGANISATION.read_text(encoding="utf-8"))["departments"]
    op.bulk_insert(
        departments,
        [
            {
                "code": u["code"],
                "name": u["name"],
                "group": u["group"],
                "kind": u["kind"],
                "dong": u.get("dong"),
                "active": True,
                "created_at": now,
            }
            for u in units
        ],
    )


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('cooperating')
    op.drop_table('departments')
