"""signed documents as issued (their digest), so they stay verifiable across releases

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'issued_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('revision_hash', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('issued_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sha256'),
    )
    op.create_index(op.f('ix_issued_documents_agreement_id'), 'issued_documents', ['agreement_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_issued_documents_agreement_id'), table_name='issued_documents')
    op.drop_table('issued_documents')
