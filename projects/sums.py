"""Per-project sums that stay exact on every write: database triggers on the monthly actuals.

`ProjectSums` holds, per project and year, the twelve monthly amounts. Triggers installed after
every `migrate` (as `projects/cache.py` installs its own) keep it equal to the actuals whoever
writes: services, the admin, an import, loaddata, a shell or raw SQL; a rolled-back write rolls
the sums back with it.

- PostgreSQL: one statement-level trigger per event with transition tables, so an import of
  5,000 figures costs one grouped upsert per month it touches, not 5,000. Inserts add, deletes
  subtract, updates add the difference (a change of project, year or month included); numeric
  arithmetic is exact. TRUNCATE empties the sums.
- SQLite: row-level triggers set the month's cell to the figure (or to zero when it goes). A
  project has at most one figure per month and SQLite checks that row by row, so every cell is
  exactly one figure's amount: no floating-point sums accumulate.

Writers are already serialised on the data-version row (`projects/cache.py`), so two writers
never wait for each other's sums rows in opposite orders.

`rebuild()` (`manage.py rebuild_sums`) recomputes everything from the actuals.
"""

from django.db import connection as default_connection
from django.db import transaction

TRIGGER = "projects_sums"
MONTHS = range(1, 13)


def _tables(connection_, apps=None) -> tuple[str, str]:
    from django.apps import apps as global_apps

    registry = apps or global_apps
    quote = connection_.ops.quote_name
    return (
        quote(registry.get_model("projects", "ProjectSums")._meta.db_table),
        quote(registry.get_model("projects", "MonthlyActual")._meta.db_table),
    )


def _by_month(source: str, *, named: bool = False) -> str:
    """Twelve grouped columns: the amounts of `source` in month 1, 2, … 12."""
    alias = (lambda m: f" AS m{m}") if named else (lambda m: "")
    return ", ".join(f"SUM(CASE WHEN {source}.month = {m} THEN {source}.amount ELSE 0 END){alias(m)}" for m in MONTHS)


COLUMNS = ", ".join(f"m{m}" for m in MONTHS)


def _postgresql(cursor, sums: str, actuals: str) -> None:
    # One grouped statement per month the rows touch (an import or a save: one month), each
    # adding to that month's column only: six times cheaper than twelve CASE sums for every row.
    each_month = "FOR k IN {months} LOOP EXECUTE format($f$ {statement} $f$, k); END LOOP;"
    upsert = (
        f"INSERT INTO {sums} AS s (project_id, year, m%1$s) "
        "SELECT d.project_id, d.year, SUM(d.amount) FROM ({rows}) d GROUP BY d.project_id, d.year {having} "
        "ORDER BY d.project_id, d.year "
        "ON CONFLICT (project_id, year) DO UPDATE SET m%1$s = s.m%1$s + EXCLUDED.m%1$s"
    )
    bodies = {
        "insert": each_month.format(
            months="SELECT DISTINCT month FROM new_rows",
            statement=upsert.format(rows="SELECT * FROM new_rows WHERE month = %1$s", having=""),
        ),
        # The difference: new rows count +amount and old rows −amount (a change of project, year or
        # month moves the amount); a change of text alone changes nothing.
        "update": each_month.format(
            months="SELECT month FROM new_rows UNION SELECT month FROM old_rows",
            statement=upsert.format(
                rows="SELECT project_id, year, amount FROM new_rows WHERE month = %1$s "
                "UNION ALL SELECT project_id, year, -amount FROM old_rows WHERE month = %1$s",
                having="HAVING SUM(d.amount) <> 0",
            ),
        ),
        # An update, never an insert: a project being deleted may have lost its sums row already.
        "delete": each_month.format(
            months="SELECT DISTINCT month FROM old_rows",
            statement=f"UPDATE {sums} AS s SET m%1$s = s.m%1$s - d.amount FROM ("
            "SELECT project_id, year, SUM(amount) AS amount FROM old_rows WHERE month = %1$s "
            "GROUP BY project_id, year) d WHERE s.project_id = d.project_id AND s.year = d.year",
        ),
        "truncate": f"DELETE FROM {sums};",
    }
    transitions = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
        "truncate": "",
    }
    for event, body in bodies.items():
        name = f"{TRIGGER}_{event}"
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"DECLARE k integer; BEGIN {body} RETURN NULL; END $$"
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {actuals}")
        cursor.execute(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {actuals} {transitions[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def _sqlite(cursor, sums: str, actuals: str) -> None:
    def cells(row: str, keep: str) -> str:
        return ", ".join(f"m{m} = CASE WHEN {row}.month = {m} THEN {keep} ELSE m{m} END" for m in MONTHS)

    new_cells = ", ".join(f"CASE WHEN NEW.month = {m} THEN NEW.amount ELSE 0 END" for m in MONTHS)
    set_new = f"""
        INSERT INTO {sums} (project_id, year, {COLUMNS}) VALUES (NEW.project_id, NEW.year, {new_cells})
        ON CONFLICT (project_id, year) DO UPDATE SET {cells("NEW", "NEW.amount")};
    """
    clear_old = f"UPDATE {sums} SET {cells('OLD', '0')} WHERE project_id = OLD.project_id AND year = OLD.year;"
    changed = (
        "OLD.project_id IS NOT NEW.project_id OR OLD.year IS NOT NEW.year "
        "OR OLD.month IS NOT NEW.month OR OLD.amount IS NOT NEW.amount"
    )
    triggers = {
        "insert": ("AFTER INSERT", set_new),
        "update": (f"AFTER UPDATE ON {actuals} FOR EACH ROW WHEN {changed}", clear_old + set_new),
        "delete": ("AFTER DELETE", clear_old),
    }
    for event, (when, body) in triggers.items():
        name = f"{TRIGGER}_{event}"
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        head = when if " ON " in when else f"{when} ON {actuals} FOR EACH ROW"
        cursor.execute(f"CREATE TRIGGER {name} {head} BEGIN {body} END")


def install_triggers(connection_, apps=None) -> None:
    """(Re)create the sums triggers on the actuals table (idempotent)."""
    sums, actuals = _tables(connection_, apps)
    with connection_.cursor() as cursor:
        if connection_.vendor == "postgresql":
            _postgresql(cursor, sums, actuals)
        elif connection_.vendor == "sqlite":
            _sqlite(cursor, sums, actuals)


def rebuild(connection_=None, apps=None) -> int:
    """Recompute every project's sums from the actuals, in one transaction; returns the rows written."""
    connection_ = connection_ or default_connection
    sums, actuals = _tables(connection_, apps)
    with transaction.atomic(using=connection_.alias), connection_.cursor() as cursor:
        if connection_.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {actuals} IN SHARE MODE")  # no figure changes while it is recomputed
        cursor.execute(f"DELETE FROM {sums}")
        cursor.execute(
            f"INSERT INTO {sums} (project_id, year, {COLUMNS}) "
            f"SELECT a.project_id, a.year, {_by_month('a')} FROM {actuals} a GROUP BY a.project_id, a.year"
        )
        return cursor.rowcount


def install_triggers_after_migrate(sender, app_config=None, using="default", apps=None, plan=None, **kwargs):
    """After `migrate`: the triggers again (SQLite drops them when a migration rebuilds the table),
    and the sums recomputed if any migration ran (a data migration may have written figures while
    the triggers were gone)."""
    from django.db import connections

    if apps is None:
        return
    try:
        apps.get_model("projects", "ProjectSums")
    except LookupError:  # migrating backwards past the sums table
        return
    connection_ = connections[using]
    if connection_.vendor not in ("postgresql", "sqlite"):
        return
    install_triggers(connection_, apps)
    if plan:
        rebuild(connection_, apps)
