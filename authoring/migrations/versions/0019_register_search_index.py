"""the register's indexes: text search and the folded title

SQLite: an FTS5 table `agreement_search` (trigram tokenizer) holding each agreement's title
and counterparty casefolded, once for each side's members (INSERT_VIEWS), filled from the existing
agreements and kept in step by triggers. The triggers and the folded-title index call casefold(), which the app gives every
SQLite connection (database.py): a connection without it (the sqlite3 shell) can read
agreements but not write them. A later migration that rebuilds `agreements` on SQLite
(batch mode copies it into a new table) drops these triggers with the old table and must
create them again (SQLITE_TRIGGERS below).

PostgreSQL: pg_trgm and GIN trigram indexes on the title and both names (ILIKE '%x%' uses
them), and an index on lower(title). The extension is left in place on downgrade: other
schemas of the database may use it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 19:40:00
"""
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# Two rows per agreement, one per side's view of it: rowid = id * 2 for a provider's member (the
# counterparty is the client), id * 2 + 1 for a client's member (the provider). A phrase never spans
# columns, so a match is exactly "the title or this view's counterparty contains it".
INSERT_VIEWS = ("INSERT INTO agreement_search (rowid, title, counterparty) VALUES "
                "(new.id * 2, casefold(new.title), casefold(new.client_name)), "
                "(new.id * 2 + 1, casefold(new.title), casefold(new.provider_name));")
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER agreement_search_insert AFTER INSERT ON agreements BEGIN
        {INSERT_VIEWS}
    END""",
    f"""CREATE TRIGGER agreement_search_update AFTER UPDATE OF title, provider_name, client_name ON agreements BEGIN
        DELETE FROM agreement_search WHERE rowid IN (old.id * 2, old.id * 2 + 1);
        {INSERT_VIEWS}
    END""",
    """CREATE TRIGGER agreement_search_delete AFTER DELETE ON agreements BEGIN
        DELETE FROM agreement_search WHERE rowid IN (old.id * 2, old.id * 2 + 1);
    END""",
)
TRIGRAM_COLUMNS = ('title', 'provider_name', 'client_name')

# PostgreSQL: how many agreements of each status each user is a member of, kept by triggers, so the
# register's total without a search is one short index read (counting a member's 100,000 memberships
# takes PostgreSQL ~7 ms). A membership counts under its agreement's status; deleting an agreement
# uncounts its members first (BEFORE DELETE), and its memberships' own trigger then finds no agreement.
# The foreign key lets TRUNCATE users CASCADE empty it too.
PG_COUNTS = (
    """CREATE TABLE register_counts (
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status varchar(16) NOT NULL,
        members integer NOT NULL,
        PRIMARY KEY (user_id, status))""",
    """CREATE FUNCTION register_counts_add(counted_user integer, counted_status varchar, delta integer)
    RETURNS void LANGUAGE sql AS $$
        INSERT INTO register_counts (user_id, status, members) VALUES (counted_user, counted_status, delta)
        ON CONFLICT (user_id, status) DO UPDATE SET members = register_counts.members + excluded.members
    $$""",
    """CREATE FUNCTION register_counts_membership() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE agreement_status varchar;
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            SELECT status INTO agreement_status FROM agreements WHERE id = old.agreement_id;
            IF FOUND THEN PERFORM register_counts_add(old.user_id, agreement_status, -1); END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT status INTO agreement_status FROM agreements WHERE id = new.agreement_id;
            PERFORM register_counts_add(new.user_id, agreement_status, 1);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER register_counts_membership AFTER INSERT OR DELETE OR UPDATE OF user_id, agreement_id
    ON memberships FOR EACH ROW EXECUTE FUNCTION register_counts_membership()""",
    """CREATE FUNCTION register_counts_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM register_counts_add(user_id, old.status, -1) FROM memberships WHERE agreement_id = old.id;
        IF TG_OP = 'DELETE' THEN RETURN old; END IF;
        PERFORM register_counts_add(user_id, new.status, 1) FROM memberships WHERE agreement_id = new.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER register_counts_status AFTER UPDATE OF status ON agreements FOR EACH ROW
    WHEN (old.status IS DISTINCT FROM new.status) EXECUTE FUNCTION register_counts_agreement()""",
    """CREATE TRIGGER register_counts_delete BEFORE DELETE ON agreements FOR EACH ROW
    EXECUTE FUNCTION register_counts_agreement()""",
    """INSERT INTO register_counts (user_id, status, members)
    SELECT m.user_id, a.status, count(*) FROM memberships m JOIN agreements a ON a.id = m.agreement_id
    GROUP BY m.user_id, a.status""",
)


def _sqlite_upgrade():
    op.execute("CREATE VIRTUAL TABLE agreement_search USING fts5("
               "title, counterparty, tokenize = 'trigram case_sensitive 0')")
    op.execute("INSERT INTO agreement_search (rowid, title, counterparty) "
               "SELECT id * 2, casefold(title), casefold(client_name) FROM agreements UNION ALL "
               "SELECT id * 2 + 1, casefold(title), casefold(provider_name) FROM agreements")
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)
    op.execute("CREATE INDEX ix_agreements_folded_title ON agreements (casefold(title))")


def _postgresql_upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The operator class lives in the extension's schema, which need not be on the search path
    # (it may have been created before, elsewhere in the database).
    schema = op.get_bind().exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar_one()
    for name in TRIGRAM_COLUMNS:
        op.execute(f'CREATE INDEX ix_agreements_{name}_trgm ON agreements USING gin ({name} "{schema}".gin_trgm_ops)')
    op.execute("CREATE INDEX ix_agreements_folded_title ON agreements (lower(title))")
    for statement in PG_COUNTS:
        op.execute(statement)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgresql_upgrade()


def downgrade():
    op.execute("DROP INDEX ix_agreements_folded_title")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER agreement_search_{trigger}")
        op.execute("DROP TABLE agreement_search")
    else:
        for name in TRIGRAM_COLUMNS:
            op.execute(f"DROP INDEX ix_agreements_{name}_trgm")
        op.execute("DROP TRIGGER register_counts_delete ON agreements")
        op.execute("DROP TRIGGER register_counts_status ON agreements")
        op.execute("DROP TRIGGER register_counts_membership ON memberships")
        op.execute("DROP FUNCTION register_counts_agreement()")
        op.execute("DROP FUNCTION register_counts_membership()")
        op.execute("DROP FUNCTION register_counts_add(integer, varchar, integer)")
        op.execute("DROP TABLE register_counts")
