"""Incidents and outages imported for an executed agreement, measured by the SLA clock

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'incidents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('priority', sa.String(length=40), nullable=False),
        sa.Column('reported_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('responded_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('resolved_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('pauses', sa.JSON(), nullable=False),
        sa.Column('excluded', sa.Text(), nullable=True),
        sa.Column('imported_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('updated_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agreement_id', 'reference', name='uq_incidents_agreement_reference'),
    )
    op.create_table(
        'outages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('started_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('ended_at', authoring.models.base.UTCDateTime(), nullable=True),
        sa.Column('planned', sa.Boolean(), nullable=False),
        sa.Column('imported_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.Column('updated_at', authoring.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agreement_id', 'started_at', name='uq_outages_agreement_started_at'),
    )


def downgrade():
    op.drop_table('outages')
    op.drop_table('incidents')
