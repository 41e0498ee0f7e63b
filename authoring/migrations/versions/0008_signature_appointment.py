"""signatures record who invited the signer; the side that started an agreement

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_by_side', sa.String(length=16), server_default='provider', nullable=False))
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joined_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('invited_by', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('invited_at', authoring.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('joined_at', authoring.models.base.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('joined_at')
        batch_op.drop_column('invited_at')
        batch_op.drop_column('invited_by')
        batch_op.drop_column('joined_via')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('started_by_side')
