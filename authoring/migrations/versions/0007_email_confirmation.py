"""email confirmation

Accounts now confirm their e-mail address before they may accept an invitation or
sign. Every account that exists when this runs is marked confirmed (as of its
creation): those accounts were made before the rule, some have already signed, and
asking them all to confirm at once would stop agreements in progress.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 07:20:29.958587
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('email_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', authoring.models.base.UTCDateTime(), nullable=False),
    sa.Column('expires_at', authoring.models.base.UTCDateTime(), nullable=False),
    sa.Column('used_at', authoring.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_confirmations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_confirmations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_confirmations_token_hash'))
    )
    with op.batch_alter_table('email_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_confirmations_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', authoring.models.base.UTCDateTime(), nullable=True))

    # Accounts from before the rule count as confirmed (see the docstring).
    op.execute("UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')

    with op.batch_alter_table('email_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_confirmations_user_id'))

    op.drop_table('email_confirmations')
