"""the register's counts on SQLite too: each user's memberships by status, kept by triggers

PostgreSQL has kept `register_counts` since 0019; SQLite counted a member's memberships on
every page, a walk of the whole index (2 ms at 100,000 agreements, growing with them). The same
table here, kept by triggers in the same transaction as each write (SQLite has one writer at a
time, so no locking order to keep): a membership added, removed or moved; an agreement's status
changed; an agreement deleted (counted off before the row goes, so its memberships' cascade finds
no status and counts nothing twice). Rows that SQLite deletes to resolve a conflict (INSERT OR
REPLACE, REPLACE INTO) fire no delete trigger unless recursive_triggers is on: nothing may write
`memberships` or `agreements` that way (nothing does; 0019's search triggers would miss it too).
A later migration that rebuilds `memberships` or `agreements` on SQLite (batch mode) drops these
triggers with the old table and must create them again (SQLITE_TRIGGERS below; 0019's for
`agreements` too).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 23:30:00
"""
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# SQLite's upsert after INSERT ... SELECT needs the SELECT's WHERE (else ON would read as a join's).
_ADD_NEW = """INSERT INTO register_counts (user_id, status, members)
        SELECT new.user_id, status, 1 FROM agreements WHERE id = new.agreement_id
        ON CONFLICT (user_id, status) DO UPDATE SET members = members + 1;"""
_REMOVE_OLD = """UPDATE register_counts SET members = members - 1
        WHERE user_id = old.user_id AND status = (SELECT status FROM agreements WHERE id = old.agreement_id);"""
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER register_counts_membership_insert AFTER INSERT ON memberships BEGIN
        {_ADD_NEW}
    END""",
    f"""CREATE TRIGGER register_counts_membership_delete AFTER DELETE ON memberships BEGIN
        {_REMOVE_OLD}
    END""",
    f"""CREATE TRIGGER register_counts_membership_update AFTER UPDATE OF user_id, agreement_id ON memberships BEGIN
        {_REMOVE_OLD}
        {_ADD_NEW}
    END""",
    """CREATE TRIGGER register_counts_status AFTER UPDATE OF status ON agreements
    WHEN old.status IS NOT new.status BEGIN
        UPDATE register_counts SET members = members - 1
        WHERE status = old.status AND user_id IN (SELECT user_id FROM memberships WHERE agreement_id = old.id);
        INSERT INTO register_counts (user_id, status, members)
        SELECT user_id, new.status, 1 FROM memberships WHERE agreement_id = old.id
        ON CONFLICT (user_id, status) DO UPDATE SET members = members + 1;
    END""",
    """CREATE TRIGGER register_counts_delete BEFORE DELETE ON agreements BEGIN
        UPDATE register_counts SET members = members - 1
        WHERE status = old.status AND user_id IN (SELECT user_id FROM memberships WHERE agreement_id = old.id);
    END""",
)
TRIGGER_NAMES = ("register_counts_membership_insert", "register_counts_membership_delete",
                 "register_counts_membership_update", "register_counts_status", "register_counts_delete")


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("""CREATE TABLE register_counts (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status VARCHAR(16) NOT NULL,
        members INTEGER NOT NULL,
        PRIMARY KEY (user_id, status)) WITHOUT ROWID""")
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)
    op.execute("""INSERT INTO register_counts (user_id, status, members)
        SELECT m.user_id, a.status, count(*) FROM memberships m JOIN agreements a ON a.id = m.agreement_id
        GROUP BY m.user_id, a.status""")


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE register_counts")
