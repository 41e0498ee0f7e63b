"""the paper an agreement's documents are printed on (NULL: from its language)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paper_size', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(op.f('ck_agreements_paper_size'), "paper_size IN ('A4', 'Letter')")


def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agreements_paper_size'), type_='check')
        batch_op.drop_column('paper_size')
