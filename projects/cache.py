"""Figures cached under a data version, so a cached figure is always the figure of today's data.

`DataVersion` holds one token. Database triggers, installed after every `migrate`, give it a new
random token before any statement that inserts, updates, deletes or truncates a table the
progress figures are computed from, whoever writes: services, the admin, an import, loaddata,
a shell or raw SQL. A write that rolls back rolls the token back with it, and an uncommitted
write is seen with its own new token only inside its transaction, so a token names exactly one
state of the data and results cached under it can be served until the data changes: exact, never
stale, with no invalidation code on the write paths.

The figures of a year are the tables with a year (`YEARLY_MODELS`: plans and actuals): a write to
them changes the token of each year it touches (a row of the same table whose id is the year),
not the county's token (id 1), which every other tracked table changes. The data version is all
the tokens together, so anything cached under it is exact as above; a result that reads only some
years' figures (last year's rates beside this year's) may be cached under the county's token and
those years' (`cached(..., years=...)`), and outlives the reporting week's saves to this year.

Reading the tokens is one query. Results go to Django's "figures" cache (`figure_cache()`: each
app process's memory in production, so keeping an entry costs no file I/O; a result is exact
whichever process computed it, since the tokens come from the database).

The cost: on PostgreSQL, every write transaction on those tables takes the county token row's lock
until it commits, so writes to the figures are serialised (reads are not). The triggers lock the
row before the statement touches any figure row, which keeps two writers from deadlocking on it
(or on the year rows, which a writer changes only while it holds that lock).
"""

import functools
import hashlib
import inspect
import logging
import secrets
from collections.abc import Callable
from decimal import Decimal

from django.core.cache import caches
from django.db import connection, models
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Bump when the shape of a cached result changes, so a deploy never unpickles an old shape.
CODE_VERSION = 2
TIMEOUT = 24 * 3600
TOKEN_TABLE = "projects_dataversion"
COUNTY = 1  # the token row of every tracked table without a year; the rows of the years have id = year
# The tables every cached figure is computed from.
TRACKED_MODELS = (
    "Unit", "Leader", "Project", "AnnualPlan", "MonthlyActual", "Bottleneck", "ProgressSettings", "Milestone",
    "PrephaseItem",
)  # fmt: skip
# Of those, the figures of a year (each row has a `year`): a write changes the tokens of its years.
YEARLY_MODELS = ("AnnualPlan", "MonthlyActual")


def _tracked_tables(apps) -> list[str]:
    """The tracked tables that exist in `apps` (a partial migrate may stop before the newer ones)."""
    tables = []
    for name in TRACKED_MODELS:
        try:
            tables.append(apps.get_model("projects", name)._meta.db_table)
        except LookupError:
            continue
    return tables


def _yearly_tables(apps) -> set[str]:
    """The tables of `YEARLY_MODELS`."""
    return {apps.get_model("projects", name)._meta.db_table for name in YEARLY_MODELS}


NEW_TOKEN_PG = "md5(random()::text || clock_timestamp()::text || txid_current()::text)"
NEW_TOKEN_SQLITE = "lower(hex(randomblob(16)))"


def _postgresql_triggers(cursor, quote, tables: list[str], yearly: set[str]) -> None:
    """A statement-level trigger before each write: the county token anew, or for a yearly table its
    lock only; after the write, the yearly tables' rows give their years new tokens."""
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION projects_new_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {TOKEN_TABLE} (id, token) VALUES ({COUNTY}, {NEW_TOKEN_PG})
            ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
            RETURN NULL;
        END $$
        """
    )
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION projects_lock_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM {TOKEN_TABLE} WHERE id = {COUNTY} FOR UPDATE;
            RETURN NULL;
        END $$
        """
    )
    years = {
        "insert": "SELECT DISTINCT year FROM new_rows",
        "update": "SELECT year FROM new_rows UNION SELECT year FROM old_rows",
        "delete": "SELECT DISTINCT year FROM old_rows",
    }
    transitions = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
    }
    for event, rows in years.items():
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION projects_year_versions_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {TOKEN_TABLE} (id, token)
                SELECT y.year, {NEW_TOKEN_PG} FROM ({rows}) y ORDER BY y.year
                ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
                RETURN NULL;
            END $$
            """
        )
    for table in tables:
        for name in ("projects_data_version", "projects_data_version_truncate", *(f"projects_year_versions_{e}"
                                                                                  for e in years)):  # fmt: skip
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}")
        if table not in yearly:
            cursor.execute(
                f"CREATE TRIGGER projects_data_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION projects_new_data_version()"
            )
            continue
        cursor.execute(
            f"CREATE TRIGGER projects_data_version BEFORE INSERT OR UPDATE OR DELETE "
            f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION projects_lock_data_version()"
        )
        cursor.execute(  # emptying the table changes every year: the county's token covers them all
            f"CREATE TRIGGER projects_data_version_truncate BEFORE TRUNCATE "
            f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION projects_new_data_version()"
        )
        for event in years:
            cursor.execute(
                f"CREATE TRIGGER projects_year_versions_{event} AFTER {event.upper()} ON {quote(table)} "
                f"{transitions[event]} FOR EACH STATEMENT EXECUTE FUNCTION projects_year_versions_{event}()"
            )


def _sqlite_triggers(cursor, quote, tables: list[str], yearly: set[str]) -> None:
    """Row-level triggers after each write: the county token anew, or for a yearly table the tokens
    of the row's years (SQLite serialises writers by itself)."""

    def upsert(token_id: str) -> str:
        return (
            f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES ({token_id}, {NEW_TOKEN_SQLITE}) "
            f"ON CONFLICT (id) DO UPDATE SET token = excluded.token;"
        )

    for table in tables:
        for op in ("INSERT", "UPDATE", "DELETE"):
            name = f"projects_data_version_{table}_{op.lower()}"
            if table not in yearly:
                body = upsert(str(COUNTY))
            else:
                body = {
                    "INSERT": upsert("NEW.year"),
                    "UPDATE": upsert("OLD.year") + upsert("NEW.year"),
                    "DELETE": upsert("OLD.year"),
                }[op]
            cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE TRIGGER {quote(name)} AFTER {op} ON {quote(table)} BEGIN {body} END")


def install_triggers(connection_, apps) -> None:
    """(Re)create the token triggers on the tracked tables that exist in `apps` (idempotent; after
    every migrate, since SQLite drops a table's triggers when a migration rebuilds the table)."""
    quote = connection_.ops.quote_name
    tables, yearly = _tracked_tables(apps), _yearly_tables(apps)
    with connection_.cursor() as cursor:
        if connection_.vendor == "postgresql":
            _postgresql_triggers(cursor, quote, tables, yearly)
        elif connection_.vendor == "sqlite":
            _sqlite_triggers(cursor, quote, tables, yearly)
        else:  # pragma: no cover - other databases run without the cache
            return
        cursor.execute(
            f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES ({COUNTY}, %s) ON CONFLICT (id) DO NOTHING",
            [secrets.token_hex(16)],
        )


def new_county_version(connection_=None) -> None:
    """Give the county a new token by hand: for a write the triggers cannot see (the sums rebuilt)."""
    connection_ = connection_ or connection
    with connection_.cursor() as cursor:
        cursor.execute(f"UPDATE {TOKEN_TABLE} SET token = %s WHERE id = {COUNTY}", [secrets.token_hex(16)])


def install_triggers_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    from django.db import connections

    from .apps import in_migrated_state

    if in_migrated_state(apps, "DataVersion"):
        install_triggers(connections[using], apps)


def figure_cache():
    return caches["figures"]


def data_version(years=None) -> str | None:
    """The version of the data as this connection sees it: every token, or with `years` the county's
    and those years' (None if the county's token row is missing). One query."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    with connection.cursor() as cursor:
        if years is None:
            cursor.execute(f"SELECT id, token FROM {TOKEN_TABLE} ORDER BY id")
        else:
            wanted = sorted({COUNTY, *(int(y) for y in years)})
            cursor.execute(
                f"SELECT id, token FROM {TOKEN_TABLE} WHERE id IN ({', '.join(['%s'] * len(wanted))}) ORDER BY id",
                wanted,
            )
        rows = cursor.fetchall()
    if not rows or rows[0][0] != COUNTY:
        return None
    if len(rows) == 1:
        return rows[0][1]
    return hashlib.sha256(";".join(f"{i}:{token}" for i, token in rows).encode()).hexdigest()[:32]


def _key_part(value):
    """A stable, hashable form of an argument, or raise TypeError for one that has none."""
    if value is None or isinstance(value, bool | int | str | Decimal):
        return value
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_key_part(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _key_part(v)) for k, v in value.items()))
    raise TypeError(f"no cache key for {type(value).__name__}")


def cached(name: str, compute: Callable, *, years=None, **arguments):
    """`compute()` cached under the data version and `arguments` (computed afresh if either is unusable).

    `years`: `compute` reads the figures (plans and actuals) of these years only, so it is cached
    under the county's token and theirs: a save to another year leaves it in place.
    """
    try:
        parts = _key_part(arguments)
    except TypeError:
        return compute()
    token = data_version(years)
    if token is None:
        return compute()
    # Labels in a result are in the active language.
    context = (CODE_VERSION, connection.alias, get_language(), name, parts, years and tuple(sorted(years)))
    digest = hashlib.sha256(repr(context).encode()).hexdigest()
    key = f"figures:{token}:{digest}"
    try:
        hit = figure_cache().get(key)
    except Exception:  # noqa: BLE001 - an unreadable entry is a miss, never an error page
        logger.warning("figure cache entry %s unreadable", key, exc_info=True)
        hit = None
    if hit is not None:
        return hit
    value = compute()
    try:
        figure_cache().set(key, value, TIMEOUT)
    except Exception:  # noqa: BLE001 - a full or read-only cache only costs speed
        logger.warning("figure cache entry %s not written", key, exc_info=True)
    return value


def cached_figures(name: str):
    """Decorate a keyword-only function of figures so its results are `cached` under the data version.

    The key holds every argument with its default filled in, so `f(year=2026)` and
    `f(year=2026, filters=None)` share one entry.
    """

    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(**kwargs):
            bound = signature.bind(**kwargs)
            bound.apply_defaults()
            return cached(name, lambda: fn(**bound.arguments), **bound.arguments)

        return wrapper

    return decorate
