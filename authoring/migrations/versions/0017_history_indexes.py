"""indexes for pages that list a long history a page at a time

Open proposals by (agreement, status, number), replacing (agreement, status); comments'
replies by thread; the unresolved threads apart (a partial index): the negotiation pages
read their open items and one page of history without scanning the rest.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

OPEN_THREAD = "thread_id IS NULL AND resolved_at IS NULL"


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_agreement_status_number', ['agreement_id', 'status', 'number'], unique=False)
        batch_op.drop_index('ix_proposals_agreement_status')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_thread', ['thread_id'], unique=False)
        batch_op.create_index('ix_comments_open_threads', ['agreement_id', 'clause_key'], unique=False,
                              sqlite_where=sa.text(OPEN_THREAD), postgresql_where=sa.text(OPEN_THREAD))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_open_threads')
        batch_op.drop_index('ix_comments_thread')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_agreement_status', ['agreement_id', 'status'], unique=False)
        batch_op.drop_index('ix_proposals_agreement_status_number')
