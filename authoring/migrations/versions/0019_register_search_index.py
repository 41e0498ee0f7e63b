"""the register's indexes: text search and the folded title

SQLite: an FTS5 table `agreement_search` (trigram tokenizer) holding each agreement's title
and counterparty casefolded, once for each side's members (INSERT_VIEWS), filled from the existing
agreements and kept in step by triggers, and an index on memberships (agreement, user, side) that
checks a match against the member's side without reading the membership. The triggers and the
folded-title index call casefold(), which the app gives every SQLite connection (database.py): a
connection without it (the sqlite3 shell) can read agreements but not write them. A later migration that rebuilds `agreements` on SQLite
(batch mode copies it into a new table) drops these triggers and the folded-title index (which
SQLAlchemy cannot reflect) with the old table, and must create them again (SQLITE_TRIGGERS below).

PostgreSQL: a table `register_search` (PG_SEARCH: each membership's title and counterparty,
lower()-ed, in a GIN index with the user, pg_trgm and btree_gin) and `register_counts` (PG_COUNTS:
each user's memberships by status), both kept by triggers, and an index on lower(title). The
extensions are left in place on downgrade: other schemas of the database may use them.

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
# PostgreSQL: the register's search, one row per membership - the title and that member's
# counterparty, lower()-ed as ILIKE folds, and the sort keys (the folded title is one) - kept by
# triggers, in one GIN index with the user (btree_gin). lower(pattern) LIKE on it is exactly the
# ILIKE test, so a member's matches, their count and the page of them in order come from this table
# alone: no join over the matches, no folding per row. Its rows go with their membership (ON DELETE
# CASCADE, and TRUNCATE ... CASCADE in the tests).
PG_COPIED = "effective_on, ends_on, next_review_on, renewal_opens_on"
PG_VIEW = ("lower(a.title), lower(CASE WHEN {m}.side = 'provider' THEN a.client_name ELSE a.provider_name END), "
           "a.effective_on, a.ends_on, a.next_review_on, a.renewal_opens_on")
PG_SEARCH = (
    """CREATE TABLE register_search (
        membership_id integer PRIMARY KEY REFERENCES memberships (id) ON DELETE CASCADE,
        user_id integer NOT NULL,
        agreement_id integer NOT NULL,
        title text NOT NULL,
        counterparty text NOT NULL,
        effective_on date, ends_on date, next_review_on date, renewal_opens_on date)""",
    "CREATE INDEX ix_register_search_agreement_id ON register_search (agreement_id)",
    f"""CREATE FUNCTION register_search_membership() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO register_search (membership_id, user_id, agreement_id, title, counterparty, {PG_COPIED})
        SELECT new.id, new.user_id, new.agreement_id, {PG_VIEW.format(m="new")} FROM agreements a
        WHERE a.id = new.agreement_id FOR SHARE OF a
        ON CONFLICT (membership_id) DO UPDATE SET user_id = excluded.user_id, agreement_id = excluded.agreement_id,
            title = excluded.title, counterparty = excluded.counterparty, effective_on = excluded.effective_on,
            ends_on = excluded.ends_on, next_review_on = excluded.next_review_on,
            renewal_opens_on = excluded.renewal_opens_on;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER register_search_membership AFTER INSERT OR UPDATE OF user_id, agreement_id, side
    ON memberships FOR EACH ROW EXECUTE FUNCTION register_search_membership()""",
    """CREATE FUNCTION register_search_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE register_search s SET title = lower(new.title), counterparty = lower(
            CASE WHEN m.side = 'provider' THEN new.client_name ELSE new.provider_name END),
            effective_on = new.effective_on, ends_on = new.ends_on, next_review_on = new.next_review_on,
            renewal_opens_on = new.renewal_opens_on
        FROM memberships m WHERE s.agreement_id = new.id AND m.id = s.membership_id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER register_search_agreement AFTER UPDATE OF title, provider_name, client_name, {PG_COPIED}
    ON agreements FOR EACH ROW EXECUTE FUNCTION register_search_agreement()""",
    f"""INSERT INTO register_search (membership_id, user_id, agreement_id, title, counterparty, {PG_COPIED})
    SELECT m.id, m.user_id, m.agreement_id, {PG_VIEW.format(m="m")}
    FROM memberships m JOIN agreements a ON a.id = m.agreement_id""",
)

# PostgreSQL: how many agreements of each status each user is a member of, kept by triggers, so the
# register's total without a search is one short index read (counting a member's 100,000 memberships
# takes PostgreSQL ~7 ms). A membership counts under its agreement's status; deleting an agreement
# uncounts its members first (BEFORE DELETE), and its memberships' own trigger then finds no agreement.
# The foreign key lets TRUNCATE users CASCADE empty it too. The membership triggers read the agreement
# FOR SHARE, so a concurrent change of its status or title (whose own trigger cannot see an
# uncommitted membership) waits for them, or they for it: nothing is counted under a stale status.
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
            SELECT status INTO agreement_status FROM agreements WHERE id = old.agreement_id FOR SHARE;
            -- A plain decrement: the row is there for a counted membership (an upsert of -1 would, for
            -- a user being deleted, whose counts the cascade already removed, point at that user).
            UPDATE register_counts SET members = members - 1
            WHERE user_id = old.user_id AND status = agreement_status;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT status INTO agreement_status FROM agreements WHERE id = new.agreement_id FOR SHARE;
            PERFORM register_counts_add(new.user_id, agreement_status, 1);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER register_counts_membership AFTER INSERT OR DELETE OR UPDATE OF user_id, agreement_id
    ON memberships FOR EACH ROW EXECUTE FUNCTION register_counts_membership()""",
    # One statement whose rows come in (user, status) order: two transactions moving agreements that
    # share members lock those members' counts in the same order, so one waits for the other and
    # neither deadlocks. (On DELETE, `new` is NULL and only the old status is uncounted.)
    """CREATE FUNCTION register_counts_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO register_counts (user_id, status, members)
        SELECT user_id, status, sum(delta) FROM (
            SELECT user_id, old.status AS status, -1 AS delta FROM memberships WHERE agreement_id = old.id
            UNION ALL
            SELECT user_id, new.status, 1 FROM memberships WHERE agreement_id = old.id AND TG_OP = 'UPDATE'
        ) AS changes
        GROUP BY user_id, status ORDER BY user_id, status
        ON CONFLICT (user_id, status) DO UPDATE SET members = register_counts.members + excluded.members;
        IF TG_OP = 'DELETE' THEN RETURN old; END IF;
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
    # A search's matches are checked against the member's side: with the side in the index, from the index alone.
    op.execute("CREATE INDEX ix_memberships_agreement_user_side ON memberships (agreement_id, user_id, side)")


def _postgresql_upgrade():
    for extension in ("pg_trgm", "btree_gin"):
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    # The operator class lives in the extension's schema, which need not be on the search path
    # (it may have been created before, elsewhere in the database). btree_gin's for user_id is its type's default.
    schema = op.get_bind().exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar_one()
    for statement in PG_SEARCH:
        op.execute(statement)
    op.execute("CREATE INDEX ix_register_search_text ON register_search USING gin "
               f'(user_id, title "{schema}".gin_trgm_ops, counterparty "{schema}".gin_trgm_ops)')
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
        op.execute("DROP INDEX ix_memberships_agreement_user_side")
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER agreement_search_{trigger}")
        op.execute("DROP TABLE agreement_search")
    else:
        op.execute("DROP TRIGGER register_search_agreement ON agreements")
        op.execute("DROP TRIGGER register_search_membership ON memberships")
        op.execute("DROP FUNCTION register_search_agreement()")
        op.execute("DROP FUNCTION register_search_membership()")
        op.execute("DROP TABLE register_search")
        op.execute("DROP TRIGGER register_counts_delete ON agreements")
        op.execute("DROP TRIGGER register_counts_status ON agreements")
        op.execute("DROP TRIGGER register_counts_membership ON memberships")
        op.execute("DROP FUNCTION register_counts_agreement()")
        op.execute("DROP FUNCTION register_counts_membership()")
        op.execute("DROP FUNCTION register_counts_add(integer, varchar, integer)")
        op.execute("DROP TABLE register_counts")
