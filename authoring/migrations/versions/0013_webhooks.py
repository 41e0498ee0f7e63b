"""Webhook endpoints per agreement and side, and their deliveries (an outbox sent and retried by `outbox send`)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 16:30:00
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'webhook_endpoints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('side', sa.String(length=16), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('secret_encrypted', sa.Text(), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('secret_rotated_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint("side IN ('provider', 'client')", name=op.f('ck_webhook_endpoints_side')),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'],
                                name=op.f('fk_webhook_endpoints_agreement_id_agreements'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_webhook_endpoints_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints')),
    )
    op.create_index('ix_webhook_endpoints_agreement_side', 'webhook_endpoints', ['agreement_id', 'side'], unique=False)
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('endpoint_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('event', sa.String(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('last_attempt_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('delivered_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('failed_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id'],
                                name=op.f('fk_webhook_deliveries_endpoint_id_webhook_endpoints'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
        sa.UniqueConstraint('endpoint_id', 'event_id', name='uq_webhook_deliveries_endpoint_event'),
    )
    op.create_index('ix_webhook_deliveries_next_attempt_at', 'webhook_deliveries', ['next_attempt_at'], unique=False)


def downgrade():
    op.drop_index('ix_webhook_deliveries_next_attempt_at', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index('ix_webhook_endpoints_agreement_side', table_name='webhook_endpoints')
    op.drop_table('webhook_endpoints')
