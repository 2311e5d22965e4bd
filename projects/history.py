"""The change history: who and why on every service write, and reading it back as old/new pairs."""

from django.db.models import Model

# Bookkeeping columns that are not the user's data.
SKIP_FIELDS = {"version"}


def stamp_change(obj: Model, *, user, change_reason: str = "") -> None:
    """Name who makes the next save or delete of `obj` and why, for the history row it leaves."""
    obj._history_user = user
    obj._change_reason = change_reason or ""


def history_save(obj: Model, *, user, change_reason: str = "", **clean) -> None:
    """Validate `obj` (`clean`: options of `full_clean`) and save it with who and why in its history."""
    obj.full_clean(**clean)
    stamp_change(obj, user=user, change_reason=change_reason)
    obj.save()


def _value(record, field: str):
    value = getattr(record, f"{field}_id" if f"{field}_id" in record.__dict__ else field)
    return str(value) if value is not None and not isinstance(value, (int, bool, str)) else value


def _fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.fields
        if f.name not in SKIP_FIELDS and not f.name.startswith("history_") and f.name not in {"id", "updated_at"}
    ]


def history_entries(obj: Model) -> list[dict]:
    """The object's changes, oldest first: when, who, reason, and the fields' old and new values.

    One query (history rows with their user); amounts come out as strings such as "12.50".
    """
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    return entries_from_records(records)


def entries_from_records(records) -> list[dict]:
    """Pair consecutive history records of one object into change entries."""
    if not records:
        return []
    fields = _fields(records[0].instance_type)
    entries, previous = [], None
    for record in records:
        new = {f: _value(record, f) for f in fields}
        if record.history_type == "-":
            old, new = new, {}
        elif previous is None:
            old = {}
        else:
            old = {f: v for f, v in previous.items() if new.get(f) != v}
            new = {f: v for f, v in new.items() if f in old}
        user = record.history_user
        entries.append(
            {
                "changed_at": record.history_date,
                "user": user.get_username() if user else None,
                "user_display": (user.get_full_name() or user.get_username()) if user else "",
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "change_reason": record.history_change_reason or "",
                "old": old,
                "new": new,
            }
        )
        previous = {f: _value(record, f) for f in fields}
    return entries
