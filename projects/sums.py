"""Per-project sums that stay exact on every write: database triggers on the monthly actuals.

`ProjectSums` holds, per project and year, the actuals summed from January to each month
(c1 … c12). Triggers installed after every `migrate` (as `projects/cache.py` installs its own)
keep it equal to the actuals whoever writes: services, the admin, an import, loaddata, a shell or
raw SQL; a rolled-back write rolls the sums back with it.

- PostgreSQL: one statement-level trigger per event with transition tables, so an import of
  5,000 figures costs one grouped upsert, not 5,000, and writes each sums row once (one row
  version, however many months the statement touched). A figure of month k adds to c_k … c12;
  deletes subtract; updates add the difference (a change of project, year or month included).
  numeric arithmetic is exact. TRUNCATE empties the sums.
- SQLite: row-level triggers do the same one row at a time, rounding each sum to the cent (SQLite
  stores the amounts as doubles; rounded after every step, each sum is exactly the cents' double).

Writers are already serialised on the data-version row (`projects/cache.py`), so two writers
never wait for each other's sums rows in opposite orders.

`rebuild()` (`manage.py rebuild_sums`) recomputes everything from the actuals.
"""

from django.db import connection as default_connection
from django.db import transaction

from .cache import new_county_version

TRIGGER = "projects_sums"
MONTHS = range(1, 13)
COLUMNS = ", ".join(f"c{m}" for m in MONTHS)


def _tables(connection_, apps=None) -> tuple[str, str]:
    from django.apps import apps as global_apps

    registry = apps or global_apps
    quote = connection_.ops.quote_name
    return (
        quote(registry.get_model("projects", "ProjectSums")._meta.db_table),
        quote(registry.get_model("projects", "MonthlyActual")._meta.db_table),
    )


def _postgresql(cursor, sums: str, actuals: str) -> None:
    def to_month(j: int) -> str:
        return f"SUM(CASE WHEN month <= {j} THEN amount ELSE 0 END)"

    def deltas(rows: str, having: str = "") -> str:
        """Each (project, year)'s change to c1 … c12 from `rows` (project_id, year, month, amount)."""
        columns = ", ".join(f"{to_month(j)} AS c{j}" for j in MONTHS)
        return f"SELECT project_id, year, {columns} FROM ({rows}) r GROUP BY project_id, year {having}"

    def add(rows: str, having: str = "") -> str:
        """One upsert for the whole statement: each sums row written once (one new row version),
        however many months the statement touched; in (project, year) order, as every writer locks."""
        return (
            f"INSERT INTO {sums} AS s (project_id, year, {COLUMNS}) "
            f"SELECT * FROM ({deltas(rows, having)}) d ORDER BY d.project_id, d.year "
            f"ON CONFLICT (project_id, year) DO UPDATE SET "
            + ", ".join(f"c{j} = s.c{j} + EXCLUDED.c{j}" for j in MONTHS)
        )

    # An update, never an insert: a project being deleted may have lost its sums row already.
    subtract = (
        f"UPDATE {sums} AS s SET {', '.join(f'c{j} = s.c{j} - d.c{j}' for j in MONTHS)} "
        f"FROM ({deltas('SELECT project_id, year, month, amount FROM old_rows')}) d "
        f"WHERE s.project_id = d.project_id AND s.year = d.year"
    )
    bodies = {
        "insert": add("SELECT project_id, year, month, amount FROM new_rows") + ";",
        # The difference: new rows count +amount and old rows −amount (a change of project, year or
        # month moves the amount); a change of text alone changes nothing and writes no row.
        "update": add(
            "SELECT project_id, year, month, amount FROM new_rows "
            "UNION ALL SELECT project_id, year, month, -amount FROM old_rows",
            "HAVING " + " OR ".join(f"{to_month(j)} <> 0" for j in MONTHS),
        )
        + ";",
        "delete": subtract + ";",
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
            f"BEGIN {body} RETURN NULL; END $$"
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {actuals}")
        cursor.execute(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {actuals} {transitions[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def _sqlite(cursor, sums: str, actuals: str) -> None:
    def moved(row: str, sign: str) -> str:
        return ", ".join(
            f"c{j} = CASE WHEN {row}.month <= {j} THEN ROUND(c{j} {sign} {row}.amount, 2) ELSE c{j} END" for j in MONTHS
        )

    first = ", ".join(f"CASE WHEN NEW.month <= {j} THEN NEW.amount ELSE 0 END" for j in MONTHS)
    add_new = f"""
        INSERT INTO {sums} (project_id, year, {COLUMNS}) VALUES (NEW.project_id, NEW.year, {first})
        ON CONFLICT (project_id, year) DO UPDATE SET {moved("NEW", "+")};
    """
    subtract_old = f"UPDATE {sums} SET {moved('OLD', '-')} WHERE project_id = OLD.project_id AND year = OLD.year;"
    changed = (
        "OLD.project_id IS NOT NEW.project_id OR OLD.year IS NOT NEW.year "
        "OR OLD.month IS NOT NEW.month OR OLD.amount IS NOT NEW.amount"
    )
    triggers = {
        "insert": (f"AFTER INSERT ON {actuals} FOR EACH ROW", add_new),
        "update": (f"AFTER UPDATE ON {actuals} FOR EACH ROW WHEN {changed}", subtract_old + add_new),
        "delete": (f"AFTER DELETE ON {actuals} FOR EACH ROW", subtract_old),
    }
    for event, (head, body) in triggers.items():
        name = f"{TRIGGER}_{event}"
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
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
    to_month = ", ".join(f"ROUND(SUM(CASE WHEN a.month <= {j} THEN a.amount ELSE 0 END), 2)" for j in MONTHS)
    with transaction.atomic(using=connection_.alias), connection_.cursor() as cursor:
        if connection_.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {actuals} IN SHARE MODE")  # no figure changes while it is recomputed
        cursor.execute(f"DELETE FROM {sums}")
        cursor.execute(
            f"INSERT INTO {sums} (project_id, year, {COLUMNS}) "
            f"SELECT a.project_id, a.year, {to_month} FROM {actuals} a GROUP BY a.project_id, a.year"
        )
        written = cursor.rowcount
        # Figures cached from the old sums are not those of the new ones: no trigger saw this write.
        new_county_version(connection_)
        return written


def install_triggers_after_migrate(sender, app_config=None, using="default", apps=None, plan=None, **kwargs):
    """After `migrate`: the triggers again (SQLite drops them when a migration rebuilds the table),
    and the sums recomputed if any migration ran (a data migration may have written figures while
    the triggers were gone)."""
    from django.db import connections

    from .apps import in_migrated_state

    if not in_migrated_state(apps, "ProjectSums"):
        return
    connection_ = connections[using]
    if connection_.vendor not in ("postgresql", "sqlite"):
        return
    install_triggers(connection_, apps)
    if plan:
        rebuild(connection_, apps)
