"""Word files uploaded to propose their changes, kept between the preview and the proposals

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 15:00:00
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'word_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=True),
        sa.Column('uploaded_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('imported_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_word_uploads_agreement_id'), 'word_uploads', ['agreement_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_word_uploads_agreement_id'), table_name='word_uploads')
    op.drop_table('word_uploads')
