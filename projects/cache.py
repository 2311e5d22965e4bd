"""Figures cached under a data version, so a cached figure is always the figure of today's data.

`DataVersion` holds one token. Database triggers, installed after every `migrate`, give it a new
random token before any statement that inserts, updates, deletes or truncates a table the
progress figures are computed from, whoever writes: services, the admin, an import, loaddata,
a shell or raw SQL. A write that rolls back rolls the token back with it, and an uncommitted
write is seen with its own new token only inside its transaction, so a token names exactly one
state of the data and results cached under it can be served until the data changes: exact, never
stale, with no invalidation code on the write paths.

Reading the token is one primary-key query. Results go to Django's cache (a shared directory or
Redis in production, so every app server shares them; local memory in tests).

The cost: on PostgreSQL, every write transaction on those tables takes the token row's lock
until it commits, so writes to the figures are serialised (reads are not). The triggers lock the
row before the statement touches any figure row, which keeps two writers from deadlocking on it.
"""

import functools
import hashlib
import inspect
import logging
import secrets
from collections.abc import Callable
from decimal import Decimal

from django.core.cache import cache
from django.db import connection, models
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Bump when the shape of a cached result changes, so a deploy never unpickles an old shape.
CODE_VERSION = 2
TIMEOUT = 24 * 3600
TOKEN_TABLE = "projects_dataversion"
# The tables every cached figure is computed from.
TRACKED_MODELS = (
    "Unit", "Leader", "Project", "AnnualPlan", "MonthlyActual", "Bottleneck", "ProgressSettings", "Milestone",
    "PrephaseItem",
)  # fmt: skip


def _tracked_tables(apps) -> list[str]:
    """The tracked tables that exist in `apps` (a partial migrate may stop before the newer ones)."""
    tables = []
    for name in TRACKED_MODELS:
        try:
            tables.append(apps.get_model("projects", name)._meta.db_table)
        except LookupError:
            continue
    return tables


def install_triggers(connection_, tables: list[str]) -> None:
    """(Re)create the token triggers on `tables` (idempotent; after every migrate, since SQLite
    drops a table's triggers when a migration rebuilds the table)."""
    quote = connection_.ops.quote_name
    with connection_.cursor() as cursor:
        if connection_.vendor == "postgresql":
            cursor.execute(
                f"""
                CREATE OR REPLACE FUNCTION projects_new_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO {TOKEN_TABLE} (id, token)
                    VALUES (1, md5(random()::text || clock_timestamp()::text || txid_current()::text))
                    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
                    RETURN NULL;
                END $$
                """
            )
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS projects_data_version ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER projects_data_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION projects_new_data_version()"
                )
        elif connection_.vendor == "sqlite":
            for table in tables:
                for op in ("INSERT", "UPDATE", "DELETE"):
                    name = f"projects_data_version_{table}_{op.lower()}"
                    cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
                    cursor.execute(
                        f"CREATE TRIGGER {quote(name)} AFTER {op} ON {quote(table)} BEGIN "
                        f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, lower(hex(randomblob(16)))) "
                        f"ON CONFLICT (id) DO UPDATE SET token = excluded.token; END"
                    )
        else:  # pragma: no cover - other databases run without the cache
            return
        cursor.execute(
            f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, %s) ON CONFLICT (id) DO NOTHING",
            [secrets.token_hex(16)],
        )


def install_triggers_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    from django.db import connections

    from .apps import in_migrated_state

    if in_migrated_state(apps, "DataVersion"):
        install_triggers(connections[using], _tracked_tables(apps))


def data_version() -> str | None:
    """The token of the data as this connection sees it (None if the token row is missing)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TOKEN_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


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


def cached(name: str, compute: Callable, **arguments):
    """`compute()` cached under the data version and `arguments` (computed afresh if either is unusable)."""
    try:
        parts = _key_part(arguments)
    except TypeError:
        return compute()
    token = data_version()
    if token is None:
        return compute()
    # Labels in a result are in the active language.
    context = (CODE_VERSION, connection.alias, get_language(), name, parts)
    digest = hashlib.sha256(repr(context).encode()).hexdigest()
    key = f"figures:{token}:{digest}"
    try:
        hit = cache.get(key)
    except Exception:  # noqa: BLE001 - an unreadable entry is a miss, never an error page
        logger.warning("figure cache entry %s unreadable", key, exc_info=True)
        hit = None
    if hit is not None:
        return hit
    value = compute()
    try:
        cache.set(key, value, TIMEOUT)
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
