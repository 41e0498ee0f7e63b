"""API tokens (limited to agreements or not), idempotency keys and per-token request counts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('scope', sa.String(length=16), nullable=False),
        sa.Column('created_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('expires_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('revoked_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('last_used_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('limited', sa.Boolean(), nullable=False),
        sa.CheckConstraint("scope IN ('read', 'read-write')", name=op.f('ck_api_tokens_scope')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash')),
    )
    op.create_index(op.f('ix_api_tokens_user_id'), 'api_tokens', ['user_id'], unique=False)
    op.create_table(
        'api_token_agreements',
        sa.Column('token_id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'],
                                name=op.f('fk_api_token_agreements_agreement_id_agreements'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'],
                                name=op.f('fk_api_token_agreements_token_id_api_tokens'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_id', 'agreement_id', name=op.f('pk_api_token_agreements')),
    )
    op.create_table(
        'idempotency_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('method', sa.String(length=8), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('response_status', sa.Integer(), nullable=True),
        sa.Column('response_body', sa.Text(), nullable=True),
        sa.Column('response_type', sa.String(length=100), nullable=True),
        sa.Column('response_location', sa.String(length=500), nullable=True),
        sa.Column('created_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'],
                                name=op.f('fk_idempotency_keys_token_id_api_tokens'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
        sa.UniqueConstraint('token_id', 'key', name='uq_idempotency_keys_token_key'),
    )
    op.create_index(op.f('ix_idempotency_keys_created_at'), 'idempotency_keys', ['created_at'], unique=False)
    op.create_table(
        'api_request_counts',
        sa.Column('token_id', sa.Integer(), nullable=False),
        sa.Column('window_start', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'],
                                name=op.f('fk_api_request_counts_token_id_api_tokens'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_id', 'window_start', name=op.f('pk_api_request_counts')),
    )
    op.create_index('ix_api_request_counts_window', 'api_request_counts', ['window_start'], unique=False)


def downgrade():
    op.drop_index('ix_api_request_counts_window', table_name='api_request_counts')
    op.drop_table('api_request_counts')
    op.drop_index(op.f('ix_idempotency_keys_created_at'), table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
    op.drop_table('api_token_agreements')
    op.drop_index(op.f('ix_api_tokens_user_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
