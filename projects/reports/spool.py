"""Rows kept in a temporary file until their sheet's turn comes, then replayed in their group's order.

The engine streams project rows once, in one order; a sheet that lists them in another (the leader
sheet, by linked leader) reads them back by group. `Spool` keeps the rows on disk, pickled a batch
of a group's rows at a time (one pickle call per batch, not per row), and in memory only each
batch's offset and at most `BATCH` rows waiting to be written, so an export of a whole province
stays flat in memory.
"""

import pickle
import tempfile
from array import array
from collections.abc import Hashable, Iterator

BATCH = 500  # rows held in memory before they are written, across all groups


class Spool:
    """Rows of cell values by group, in an anonymous temporary file; a row may belong to several groups."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.offsets: dict[Hashable, array] = {}  # group → offsets of its batches, in order
        self.counts: dict[Hashable, int] = {}
        self.pending: dict[Hashable, list] = {}
        self.pending_rows = 0

    def add(self, values, *groups: Hashable) -> None:
        """Keep one row (a list or tuple of cell values) in each of `groups`."""
        values = tuple(values)  # the row as it is now: a caller may go on to change its list
        for group in groups:
            self.pending.setdefault(group, []).append(values)
            self.counts[group] = self.counts.get(group, 0) + 1
            self.pending_rows += 1
        if self.pending_rows >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the waiting rows, one pickled batch per group."""
        f, dump = self.file, pickle.dump
        f.seek(0, 2)
        for group, rows in self.pending.items():
            self.offsets.setdefault(group, array("q")).append(f.tell())
            dump(rows, f, pickle.HIGHEST_PROTOCOL)
        self.pending.clear()
        self.pending_rows = 0

    def count(self, group: Hashable) -> int:
        return self.counts.get(group, 0)

    def rows(self, group: Hashable) -> Iterator:
        """The group's rows, in the order they were added (each as a new list)."""
        if self.pending:
            self.flush()
        f = self.file
        f.flush()
        for offset in self.offsets.get(group, ()):
            f.seek(offset)
            for values in pickle.load(f):
                yield list(values)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
