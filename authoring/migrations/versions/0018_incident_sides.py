"""the side that imported each incident and outage (only that side updates it)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('incidents', 'outages'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('imported_side', sa.String(length=16), nullable=True))


def downgrade():
    for table in ('outages', 'incidents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('imported_side')
