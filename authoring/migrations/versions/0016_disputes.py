"""Disputes of the lines of a monthly service report, and their threads

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-12 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'disputes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('line_kind', sa.String(length=16), nullable=False),
        sa.Column('line', sa.String(length=100), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('closed_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'accepted', 'rejected', 'escalated')", name=op.f('ck_disputes_status')),
        sa.CheckConstraint("line_kind IN ('priority', 'incident')", name=op.f('ck_disputes_line_kind')),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_disputes_agreement_id_agreements'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_disputes_opened_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes')),
    )
    op.create_index('ix_disputes_agreement_period', 'disputes', ['agreement_id', 'period'], unique=False)
    op.create_table(
        'dispute_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dispute_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('side', sa.String(length=16), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=True),
        sa.Column('created_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_dispute_messages_author_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_dispute_messages_dispute_id_disputes'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_messages')),
    )
    op.create_index(op.f('ix_dispute_messages_dispute_id'), 'dispute_messages', ['dispute_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_dispute_messages_dispute_id'), table_name='dispute_messages')
    op.drop_table('dispute_messages')
    op.drop_index('ix_disputes_agreement_period', table_name='disputes')
    op.drop_table('disputes')
