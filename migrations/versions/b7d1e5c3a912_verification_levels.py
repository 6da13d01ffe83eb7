"""accounts: verification level, e-mail confirmation time, keyed sign-up address

Revision ID: b7d1e5c3a912
Revises: 71b67b65dcbd
Create Date: 2026-11-26 09:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d1e5c3a912'
down_revision = '71b67b65dcbd'
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts start unconfirmed (level 0): they may read, and confirm with the
    # "인증 메일 다시 받기" button before taking part again (issue 15, finding 12).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('verification_level', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('signup_address_key', sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_users_signup_address_key'), ['signup_address_key'], unique=False
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_signup_address_key'))
        batch_op.drop_column('signup_address_key')
        batch_op.drop_column('email_confirmed_at')
        batch_op.drop_column('verification_level')
