"""keyed audit chain: event numbers, chain heads, checkpoints

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 07:40:00.000000
"""
from alembic import op
import sqlalchemy as sa
import authoring.models.base


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_heads',
    sa.Column('chain', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_audit_heads'))
    )
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('made_at', authoring.models.base.UTCDateTime(), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints'))
    )
    with op.batch_alter_table('audit_checkpoints', schema=None) as batch_op:
        batch_op.create_index('ix_audit_checkpoints_chain_seq', ['chain', 'seq'], unique=False)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_audit_events_agreement_seq', ['agreement_id', 'seq'], unique=False)

    _seal_existing_events()


# The formulas of this revision, frozen here (as 0004 froze the unkeyed one): later changes to
# authoring.audit must not change what this migration wrote.

def _events():
    return sa.table('audit_events', sa.column('id', sa.Integer), sa.column('agreement_id', sa.Integer),
                    sa.column('actor_id', sa.Integer), sa.column('at', authoring.models.base.UTCDateTime()),
                    sa.column('ip', sa.String), sa.column('action', sa.String), sa.column('details', sa.JSON),
                    sa.column('seq', sa.Integer), sa.column('prev_hash', sa.String), sa.column('hash', sa.String))


def _unkeyed(row, prev):
    from authoring.document.canonical import content_hash

    return content_hash({'prev': prev, 'agreement': row['agreement_id'], 'actor': row['actor_id'],
                         'at': row['at'].isoformat(), 'ip': row['ip'], 'action': row['action'],
                         'details': row['details']})


def _mac(value):
    import hashlib
    import hmac

    from flask import current_app

    from authoring.document.canonical import canonical_json

    key = current_app.config['AUDIT_KEY'].encode('utf-8')
    return hmac.new(key, canonical_json(value), hashlib.sha256).hexdigest()


def _keyed(row, seq, prev):
    return _mac({'chain': row['agreement_id'], 'seq': seq, 'prev': prev, 'actor': row['actor_id'],
                 'at': row['at'].isoformat(), 'ip': row['ip'], 'action': row['action'], 'details': row['details']})


def _seal_existing_events():
    """Number and seal the existing chains, in order, and write their heads.

    Sealing must not launder earlier tampering: where the unkeyed chain was already
    broken, the break is carried into the keyed one. An event that no longer matched its
    hash gets a hash that is not its MAC (it stays "changed after it was written"); an
    event that did not follow the one before it keeps its old link, which no keyed hash
    equals (it stays "does not follow the entry before it").
    """
    import hashlib
    import logging

    events = _events()
    heads = sa.table('audit_heads', sa.column('chain', sa.Integer), sa.column('seq', sa.Integer),
                     sa.column('hash', sa.String), sa.column('mac', sa.String))
    connection = op.get_bind()
    old_heads, new_heads, broken = {}, {}, set()
    for row in connection.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        chain = row['agreement_id']
        old_previous = old_heads.get(chain, '')
        seq, previous = new_heads.get(chain, (0, ''))
        seq += 1
        prev = previous if row['prev_hash'] == old_previous else row['prev_hash']
        edited = row['hash'] != _unkeyed(row, row['prev_hash'])
        if edited:
            digest = hashlib.sha256(f"altered before 0006: {row['hash']}".encode('utf-8')).hexdigest()
        else:
            digest = _keyed(row, seq, prev)
        if edited or prev != previous:
            broken.add(chain)
        connection.execute(events.update().where(events.c.id == row['id']).values(seq=seq, prev_hash=prev, hash=digest))
        old_heads[chain] = row['hash']
        new_heads[chain] = (seq, digest)
    for chain, (seq, digest) in new_heads.items():
        number = 0 if chain is None else chain
        connection.execute(heads.insert().values(chain=number, seq=seq, hash=digest,
                                                 mac=_mac({'head': number, 'seq': seq, 'hash': digest})))
    if broken:
        logging.getLogger('authoring.audit').warning(
            'audit chains already broken before they were keyed (still reported): %s',
            ', '.join('events without an agreement' if c is None else f'agreement {c}'
                      for c in sorted(broken, key=lambda c: -1 if c is None else c)))


def _unseal_events():
    """Give the events back the unkeyed hashes of 0004's chain (breaks in the keyed chain stay breaks)."""
    events = _events()
    connection = op.get_bind()
    previous_old = {}
    for row in connection.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        chain = row['agreement_id']
        seq = row['seq']
        prev_keyed = previous_old.get(chain, ('', ''))
        # Where the keyed link held, link to the previous event's unkeyed hash; else keep the break.
        prev = prev_keyed[1] if row['prev_hash'] == prev_keyed[0] else row['prev_hash']
        intact = row['hash'] == _keyed(row, seq, row['prev_hash'])
        digest = _unkeyed(row, prev) if intact else row['hash']
        connection.execute(events.update().where(events.c.id == row['id']).values(prev_hash=prev, hash=digest))
        previous_old[chain] = (row['hash'], digest)


def downgrade():
    _unseal_events()
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_agreement_seq')
        batch_op.drop_column('seq')

    with op.batch_alter_table('audit_checkpoints', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_checkpoints_chain_seq')

    op.drop_table('audit_checkpoints')
    op.drop_table('audit_heads')
