"""The Parquet store: every read and write of the output tables goes through here.

Layout of an output folder::

    out/<table>       -> current/<table>     (stable symlinks: pandas.read_parquet("out/<table>"))
    out/current       -> .gen/gNNNNNN       (swapped atomically at each commit)
    out/.gen/gNNNNNN/<table>/part-*.parquet

A transaction builds the next generation beside the current one (unchanged part
files are hard links, so nothing is copied), then one atomic rename of the
``current`` link publishes every table at once. A run killed at any moment
leaves the previous generation in place, readable and consistent.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .desk.datapackage import FILENAME as DATAPACKAGE
from .desk.datapackage import write_datapackage
from .errors import Errors, PipelineError
from .procs import close_in_children, pid_alive, release_in_children
from .schemas import ALL_TABLES

log = logging.getLogger(__name__)

MARKER = ".pipeline-output"
GEN_RE = re.compile(r"^g(\d{6})$")


class Store:
    def __init__(self, out: str | Path):
        self.out = Path(out)

    # -- reading -----------------------------------------------------------
    @property
    def current(self) -> Path | None:
        link = self.out / "current"
        return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None

    def read(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """The whole table (or some columns); an empty table with the schema if there is none yet."""
        cur = self.current
        return read_parts(table, sorted((cur / table).glob("part-*.parquet")) if cur else [], columns)

    # -- locking -----------------------------------------------------------
    def check_usable(self) -> None:
        """Refuse to write into a folder that holds something other than our outputs."""
        if not self.out.exists():
            return
        if not self.out.is_dir() or (not (self.out / MARKER).exists()
                                     and any(not p.name.startswith(".") for p in self.out.iterdir())):
            raise PipelineError(Errors.E203.format(path=self.out, marker=MARKER))

    def is_output_folder(self) -> bool:
        return self.out.is_dir() and (self.out / MARKER).exists()

    @contextmanager
    def lock(self):
        """Hold the folder's lock for a run; a lock left by a dead process is taken over with a warning."""
        self.check_usable()
        with writing(self.out):
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / MARKER).touch()
            fh = self._acquire(self.out / ".lock")
        close_in_children(fh.fileno())       # worker processes never keep the lock
        try:
            with writing(self.out):
                self._sweep()
            yield self
        finally:
            release_in_children(fh.fileno())
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()

    def _acquire(self, path: Path):
        """Lock ``path``; a lock whose recorded pid is dead is taken over (its holders can only be orphans).

        After locking, the path must still name the file locked (another run may have replaced it meanwhile),
        else the lock is tried again; a file is unlinked only while it is the one whose dead pid was read.
        """
        for attempt in range(4):
            fh = open(path, "a+")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                pid = fh.read().strip() or "?"
                if attempt == 3 or not pid.isdigit() or pid_alive(int(pid)):
                    fh.close()
                    raise PipelineError(Errors.E201.format(out=self.out, pid=pid, lock=path))
                log.warning("taking over the lock of %s from dead process %s", self.out, pid)
                if _same_file(path, fh):
                    path.unlink(missing_ok=True)
                fh.close()
                continue
            if not _same_file(path, fh):             # replaced while we locked it: try again
                fh.close()
                continue
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            return fh
        raise PipelineError(Errors.E201.format(out=self.out, pid="?", lock=path))

    def clean(self) -> list[Path]:
        """Remove the tables and generations of an output folder (refuses any other folder)."""
        if not self.out.exists():
            return []
        if not self.is_output_folder():
            raise PipelineError(Errors.E205.format(path=self.out, marker=MARKER))
        removed = []
        with self.lock(), writing(self.out):
            for name in [*ALL_TABLES, DATAPACKAGE, "current"]:
                p = self.out / name
                if p.is_symlink():
                    p.unlink()
                    removed.append(p)
            if (self.out / ".gen").is_dir():
                shutil.rmtree(self.out / ".gen")
                removed.append(self.out / ".gen")
        return removed

    def _sweep(self) -> None:
        """Remove generations a killed run left behind (called under the lock)."""
        gens = self.out / ".gen"
        if not gens.is_dir():
            return
        cur = self.current
        for d in gens.iterdir():
            if cur is None or d.resolve() != cur:
                shutil.rmtree(d, ignore_errors=True)
        for link in self.out.glob(".current-*"):    # a publish killed between symlink and rename
            link.unlink(missing_ok=True)

    # -- writing -----------------------------------------------------------
    def begin(self) -> "Transaction":
        return Transaction(self)


@contextmanager
def writing(out: Path, txn: "Transaction | None" = None):
    """Turn a failed write (disk full, read-only folder, quota) into one coded error.

    The transaction's unpublished generation is removed, so the previous tables stay as they were and
    nothing temporary is left behind.
    """
    try:
        yield
    except OSError as e:
        if txn is not None:
            txn.abort()
        reason = e.strerror or (str(e).splitlines() or ["write failed"])[0]
        if e.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(e):
            reason = "no space left on the device"
        elif e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            reason = f"the folder is read-only ({e.strerror})"
        if txn is not None and getattr(txn, "published", False):   # the new tables are live; tidying up failed
            raise PipelineError(Errors.E206.format(path=out, reason=reason[:200])) from None
        raise PipelineError(Errors.E204.format(path=out, reason=reason[:200])) from None


class Transaction:
    """The next generation of all tables, published by :meth:`commit`."""

    def __init__(self, store: Store):
        self.store = store
        gens = store.out / ".gen"
        self.dir = gens / f"tmp-{uuid.uuid4().hex[:12]}"
        self.seq = 0
        with writing(store.out, self):
            gens.mkdir(parents=True, exist_ok=True)
            self.dir.mkdir()
            self._link_current()

    def _link_current(self) -> None:
        cur = self.store.current
        for table in ALL_TABLES:
            (self.dir / table).mkdir()
            if cur and (cur / table).is_dir():
                for p in (cur / table).glob("part-*.parquet"):
                    if p.name.endswith("-empty.parquet"):
                        continue
                    os.link(p, self.dir / table / p.name)
                    self.seq = max(self.seq, int(p.name.split("-")[1]))

    def parts(self, table: str) -> list[Path]:
        return sorted((self.dir / table).glob("part-*.parquet"))

    def read(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """A table as this transaction would publish it (an empty table with the schema if it has no rows)."""
        return read_parts(table, self.parts(table), columns)

    def new_part(self, table: str) -> Path:
        """The path of this transaction's next part file of a table (numbered in order of writing)."""
        self.seq += 1
        return self.dir / table / f"part-{self.seq:08d}-{uuid.uuid4().hex[:8]}.parquet"

    def add(self, table: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        target = self.new_part(table)
        with writing(self.store.out, self):
            pq.write_table(data, target)

    def replace(self, table: str, data: pa.Table) -> None:
        for p in self.parts(table):
            p.unlink()
        self.add(table, data)

    def drop_docs(self, table: str, doc_ids: set[str]) -> None:
        """Remove the rows of these documents, rewriting only the part files that hold them."""
        if not doc_ids:
            return
        ids = pa.array(sorted(doc_ids), pa.string())
        for p in self.parts(table):
            present = pc.is_in(read_part(p, ALL_TABLES[table], ["doc_id"])["doc_id"], value_set=ids)
            if not pc.any(present).as_py():
                continue
            data = read_part(p, ALL_TABLES[table])
            kept = data.filter(pc.invert(pc.is_in(data["doc_id"], value_set=ids)))
            p.unlink()
            self.add(table, kept)

    def update(self, table: str, key: str, values: dict[str, dict]) -> None:
        """Set some columns of the rows whose ``key`` is in ``values`` (key -> {column: value}), rewriting only the
        part files that hold them, each under its own name (so the rows keep their order)."""
        if not values:
            return
        keys = pa.array(sorted(values), pa.string())
        schema = ALL_TABLES[table]
        for p in self.parts(table):
            if not pc.any(pc.is_in(read_part(p, schema, [key])[key], value_set=keys)).as_py():
                continue
            rows = read_part(p, schema).to_pylist()
            for r in rows:
                r.update(values.get(r[key], {}))
            self._rewrite(p, pa.Table.from_pylist(rows, schema=schema))

    def set_column(self, table: str, key: str, column: str, keys: pa.Array, values: pa.Array) -> None:
        """Set ``column`` of every row to the value given for its ``key`` (``keys`` and ``values`` aligned; a
        key not given keeps its value), in Arrow, rewriting only the part files where a value changes, each
        under its own name (so the rows keep their order)."""
        schema = ALL_TABLES[table]
        for p in self.parts(table):
            have = read_part(p, schema, [key, column])
            old = have[column].combine_chunks()
            pos = pc.index_in(have[key].combine_chunks(), value_set=keys)
            new = pc.if_else(pc.is_valid(pos), values.take(pos), old)
            if new.equals(old):
                continue
            data = read_part(p, schema)
            self._rewrite(p, data.set_column(schema.get_field_index(column), schema.field(column), new))

    def _rewrite(self, p: Path, data: pa.Table) -> None:
        """A part file written again under its own name (so the rows keep their order)."""
        p.unlink()
        with writing(self.store.out, self):
            pq.write_table(data, p)

    def merge_tail(self, table: str, fanout: int = 8, base_bytes: int = 1 << 16) -> None:
        """Keep the number of part files logarithmic in the table's size while a run commits batch after batch
        (each commit links every part, so their number sets its cost): while the newest ``fanout`` parts are
        of one size class (a factor ``fanout`` apart per class), they are merged into one. Only adjacent newest
        parts are merged, in order, so the rows keep their order."""
        def level(p: Path) -> int:
            n, size = 0, p.stat().st_size // base_bytes
            while size >= fanout:
                size //= fanout
                n += 1
            return n

        while True:
            parts = self.parts(table)
            tail = parts[-fanout:]
            if len(tail) < fanout or len({level(p) for p in tail}) != 1:
                return
            self.merge(table, tail)

    def compact(self, table: str, max_parts: int) -> None:
        parts = self.parts(table)
        if len(parts) > max_parts:
            self.merge(table, parts)

    def merge(self, table: str, parts: list[Path]) -> None:
        """Merge adjacent part files into one new part, in order, streamed batch by batch: memory holds one
        record batch, not the merged table (the last merges of a long run are as large as the table)."""
        schema = ALL_TABLES[table]
        target = self.new_part(table)
        rows = 0
        with writing(self.store.out, self):
            with pq.ParquetWriter(target, schema) as w:
                for p in parts:
                    for batch in read_batches(p, schema):
                        w.write_batch(batch)
                        rows += batch.num_rows
            for p in parts:
                p.unlink()
            if rows == 0:
                target.unlink()

    def commit(self) -> None:
        self.published = False
        with writing(self.store.out, self):
            self._commit()

    def _commit(self) -> None:
        out = self.store.out
        for table, schema in ALL_TABLES.items():
            if not self.parts(table):  # keep every table readable, even when empty
                pq.write_table(schema.empty_table(), self.dir / table / "part-00000000-empty.parquet")
        write_datapackage(self.dir)  # the tables' contract, published with them
        cur = self.store.current
        n = int(GEN_RE.match(cur.name).group(1)) + 1 if cur and GEN_RE.match(cur.name) else 1
        final = self.dir.parent / f"g{n:06d}"
        os.replace(self.dir, final)
        _fsync_dir(final.parent)
        tmp_link = out / f".current-{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.join(".gen", final.name), tmp_link)
        os.replace(tmp_link, out / "current")  # the atomic publish
        self.published = True
        _fsync_dir(out)
        for table in [*ALL_TABLES, DATAPACKAGE]:
            link = out / table
            if not link.is_symlink():
                if link.exists():
                    shutil.rmtree(link)
                os.symlink(os.path.join("current", table), link)
        if cur and cur != final:
            shutil.rmtree(cur, ignore_errors=True)

    def abort(self) -> None:
        """Drop this unpublished generation (its files are hard links or new parts: nothing else is lost)."""
        if not getattr(self, "published", False):
            shutil.rmtree(self.dir, ignore_errors=True)


def read_parts(table: str, parts: list[Path], columns: list[str] | None = None) -> pa.Table:
    """A table from its part files, read with its schema (older parts lacking a column read it as null);
    an empty table with the schema when there are none."""
    schema = ALL_TABLES[table]
    if not parts:
        empty = schema.empty_table()
        return empty.select(columns) if columns else empty
    return pa.concat_tables(read_part(p, schema, columns) for p in parts)


def read_part(path: Path, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """One part file with the table's schema (or some of its columns); a column the file lacks (an older part)
    reads as null. Read through ParquetFile: no dataset machinery to import, which a no-op run would pay for."""
    pf = pq.ParquetFile(path)
    wanted = columns or schema.names
    have = set(pf.schema_arrow.names)
    data = pf.read(columns=[c for c in wanted if c in have])
    out = _filled(data, wanted, have, schema)
    return pa.Table.from_arrays(out, schema=pa.schema([schema.field(c) for c in wanted], metadata=schema.metadata)
                                if columns else schema)


def read_batches(path: Path, schema: pa.Schema, batch_size: int = 4096):
    """The record batches of one part file with the table's schema (a column the file lacks reads as null)."""
    pf = pq.ParquetFile(path)
    have = set(pf.schema_arrow.names)
    for batch in pf.iter_batches(batch_size=batch_size, columns=[c for c in schema.names if c in have]):
        yield pa.RecordBatch.from_arrays(_filled(batch, schema.names, have, schema), schema=schema)


def _filled(data, wanted: list[str], have: set[str], schema: pa.Schema) -> list:
    """The ``wanted`` columns of a table or record batch read from a part file; a column the file lacks (an
    older part, ``have``: the file's columns) is nulls of the schema's type."""
    return [data.column(c) if c in have else pa.nulls(data.num_rows, schema.field(c).type) for c in wanted]


def _same_file(path: Path, fh) -> bool:
    try:
        a, b = os.stat(path), os.fstat(fh.fileno())
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
