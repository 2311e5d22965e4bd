"""Rows kept in a temporary file while a sheet's column widths are fitted, then replayed to write it.

A sheet's widths must be known before its first row is written, so its rows are read twice. The
engine streams project rows once; `Spool` keeps each row's cell values on disk and, in memory, only
an 8-byte offset per row and group, so an export of a whole province stays flat in memory.
"""

import pickle
import tempfile
from array import array
from collections.abc import Hashable, Iterator


class Spool:
    """Rows of cell values by group, in an anonymous temporary file; a row may belong to several groups."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.offsets: dict[Hashable, array] = {}

    def add(self, values, *groups: Hashable) -> None:
        """Keep one row (a list or tuple of cell values) in each of `groups`."""
        offset = self.file.tell()
        pickle.dump(values, self.file, pickle.HIGHEST_PROTOCOL)
        for group in groups:
            self.offsets.setdefault(group, array("q")).append(offset)

    def count(self, group: Hashable) -> int:
        return len(self.offsets.get(group, ()))

    def rows(self, group: Hashable) -> Iterator:
        """The group's rows, in the order they were added (each as a new list)."""
        f = self.file
        f.flush()
        for offset in self.offsets.get(group, ()):
            if f.tell() != offset:
                f.seek(offset)
            yield list(pickle.load(f))

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
