"""The data files kept in PostgreSQL, for dashboard servers on several hosts.

The database holds each file's current version, its whole history, the audit log and the
names staff gave an upload's attributes. A save is one transaction that checks the version the
editor started from, under one lock for all saves, as the data folder's store does with a file
lock on one host. Each host mirrors the current files into its own data folder (``sync``, at
every interaction), which the dashboard reads as it reads any data folder: a save on one host
shows on every other at its next interaction. A file changed by hand in a host's folder is
taken into the database as a version, as the data folder's store keeps such a change, so
nothing typed anywhere is lost. When the database cannot be reached, ``Unavailable`` says so;
the folder keeps the last files it had.
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

from lib.contract.catalog import DATASETS
from lib.files import areas
from lib.files.store import (
    LOCK_TIMEOUT,
    SYSTEM_USER,
    Busy,
    Change,
    Conflict,
    Store,
    Version,
    data_file,
    unique_version_id,
    write_atomic,
)

CONNECT_TIMEOUT_S = 3
# One lock for all saves (pg_advisory_xact_lock), as the data folder's store has one file lock.
SAVE_LOCK = 0x57414E46  # "WANF"
MIRRORED = "mirrored.json"  # under the folder's .history: what this host last took from the database

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS wanfeng_versions (
    seq bigserial PRIMARY KEY,
    file text NOT NULL,
    id text NOT NULL,
    saved_at timestamptz NOT NULL,
    saved_by text NOT NULL,
    action text NOT NULL,
    summary text NOT NULL,
    size integer NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    content bytea NOT NULL,
    UNIQUE (file, id)
);
CREATE TABLE IF NOT EXISTS wanfeng_current (
    file text PRIMARY KEY,
    token text NOT NULL,
    seq bigint NOT NULL REFERENCES wanfeng_versions (seq)
);
CREATE TABLE IF NOT EXISTS wanfeng_renames (
    file text PRIMARY KEY,
    renames jsonb NOT NULL
);
"""
    + areas.SCHEMA
)
_VERSION_COLUMNS = "id, file, saved_at, saved_by, action, summary, size, details"


# Per process: the databases whose tables exist, a file's token by its size and time (hashing a
# county's layer at every interaction would cost more than the rest of it), and when each
# folder was last found up to date with its database.
_SCHEMA_MADE: set[tuple[str, str]] = set()
_SPATIAL: dict[str, bool] = {}
_HASHED: dict[Path, tuple[int, int, str]] = {}
_CHECKED: dict[Path, datetime] = {}


@contextmanager
def connected(url: str, schema: str) -> Iterator[psycopg.Connection]:
    """A connection to the database at ``url`` (each ``with connection.transaction()`` one
    transaction), the tables of ``schema`` made first; Unavailable when the database cannot be
    reached or goes away meanwhile (then nothing is kept of a transaction not yet committed)."""
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True) as connection:
            _make_tables(connection, url, schema)
            yield connection
    except psycopg.OperationalError as error:
        raise Unavailable(f"the database cannot be reached: {str(error).strip()}") from error


def _make_tables(connection: psycopg.Connection, url: str, schema: str) -> None:
    """Create the tables of ``schema`` once per process and database; one process at a time,
    as two creating the same table at once would clash."""
    if (url, schema) in _SCHEMA_MADE:
        return
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", [SAVE_LOCK + 1])
        connection.execute(schema)
    _SCHEMA_MADE.add((url, schema))


class Unavailable(OSError):
    """The database cannot be reached: nothing was read from it or saved in it."""


def _token(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _file_token(path: Path) -> str:
    """The token of the file at ``path`` ("" when there is none), hashed again only when its
    size or time changed."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return ""
    known = _HASHED.get(path)
    if known and known[:2] == (info.st_size, info.st_mtime_ns):
        return known[2]
    token = _token(path.read_bytes())
    _HASHED[path] = (info.st_size, info.st_mtime_ns, token)
    return token


class DatabaseStore(Store):
    """The data files in the PostgreSQL database at ``url``, mirrored into ``folder``."""

    def __init__(self, url: str, folder: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.url = url
        self.folder = Path(folder).resolve()
        self.history_dir = self.folder / ".history"
        self.lock_timeout = lock_timeout
        self._mirrored = self.history_dir / MIRRORED

    # --- the database ---------------------------------------------------------------------

    def _connection(self) -> AbstractContextManager[psycopg.Connection]:
        return connected(self.url, SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection]:
        """A connection in one transaction, committed on leaving."""
        with self._connection() as connection, connection.transaction():
            yield connection

    @contextmanager
    def _saving(self, connection: psycopg.Connection, key: str) -> Iterator[None]:
        """Held by one save, or one host's folder being brought up to date, at a time on every
        host, until this host's folder is written (a session lock, kept across the commit)."""
        connection.execute(f"SET lock_timeout = '{int(self.lock_timeout * 1000)}ms'")
        try:
            connection.execute("SELECT pg_advisory_lock(%s)", [SAVE_LOCK])
        except psycopg.errors.LockNotAvailable as error:
            raise Busy(f"another save is still running, {key} was not saved: try again in a moment") from error
        try:
            for leftover in self.history_dir.glob(f".{MIRRORED}.*.tmp"):  # of a write killed midway
                leftover.unlink(missing_ok=True)
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", [SAVE_LOCK])

    def _spatial(self, connection: psycopg.Connection) -> bool:
        """Whether the layers' geometry is kept in PostGIS here (its column made once)."""
        if self.url not in _SPATIAL:
            with connection.transaction():
                if spatial := areas.has_postgis(connection):
                    connection.execute("SELECT pg_advisory_xact_lock(%s)", [SAVE_LOCK + 1])
                    connection.execute(areas.POSTGIS_SCHEMA)
            _SPATIAL[self.url] = spatial
        return _SPATIAL[self.url]

    @staticmethod
    def _current(connection: psycopg.Connection) -> dict[str, str]:
        return dict(connection.execute("SELECT file, token FROM wanfeng_current").fetchall())

    def _insert(
        self,
        connection: psycopg.Connection,
        key: str,
        content: bytes,
        user: str,
        summary: str,
        action: str,
        *,
        current: bool = True,
        details: dict | None = None,
    ) -> Version:
        saved_at = datetime.now(UTC)
        taken = {row[0] for row in connection.execute("SELECT id FROM wanfeng_versions WHERE file = %s", [key])}
        version = Version(
            unique_version_id(saved_at, taken, lambda _id: False),
            key,
            saved_at,
            user,
            action,
            " ".join(summary.split()),
            len(content),
            dict(details or {}),
        )
        inserted = connection.execute(
            "INSERT INTO wanfeng_versions (id, file, saved_at, saved_by, action, summary, size, details, content)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING seq",
            [version.id, key, saved_at, user, action, version.summary, len(content), Jsonb(version.details), content],
        ).fetchone()
        if current and inserted is not None:
            connection.execute(
                "INSERT INTO wanfeng_current (file, token, seq) VALUES (%s, %s, %s)"
                " ON CONFLICT (file) DO UPDATE SET token = EXCLUDED.token, seq = EXCLUDED.seq",
                [key, _token(content), inserted[0]],
            )
            if areas.is_layer(key):
                areas.index(connection, key, inserted[0], content, self._spatial(connection))
        return version

    @staticmethod
    def _versions(connection: psycopg.Connection, where: str = "", args: tuple = ()) -> list[Version]:
        rows = connection.execute(
            f"SELECT {_VERSION_COLUMNS} FROM wanfeng_versions {where} ORDER BY seq DESC", list(args)
        ).fetchall()
        return [
            Version(id_, file, saved_at, user, action, summary, size, details if isinstance(details, dict) else {})
            for id_, file, saved_at, user, action, summary, size, details in rows
        ]

    # --- the store ------------------------------------------------------------------------

    def token(self, relative: str) -> str:
        key = self._key(relative)
        # After a file changed by hand in this folder is taken: it is the current one, as it is
        # for the folder's store.
        return self.sync().get(key, "")

    def _replace(self, relative: str, content: bytes, expected: str, change: Change) -> Version:
        key = self._key(relative)
        with self._connection() as connection, self._saving(connection, key):
            with connection.transaction():
                # What was copied in by hand here first, in the same transaction: a conflict keeps none of it.
                mirrored = self._take_and_give(connection, self._current(connection), [key])
                current = self._current(connection).get(key, "")
                if current != expected:
                    raise Conflict(key, expected, current)
                version = self._insert(connection, key, content, *change[:3], details=change.details)
            # Committed: this host's folder shows it now, every other host at its next interaction.
            write_atomic(self.folder / key, content)
            self._write_mirrored({**mirrored, key: _token(content)})
        return version

    def history(self, relative: str) -> list[Version]:
        key = self._key(relative)
        with self._transaction() as connection:
            return self._versions(connection, "WHERE file = %s", (key,))

    def read(self, relative: str, version_id: str) -> bytes:
        key = self._key(relative)
        with self._transaction() as connection:
            row = connection.execute(
                "SELECT content FROM wanfeng_versions WHERE file = %s AND id = %s", [key, version_id]
            ).fetchone()
        if row is None:
            raise KeyError(version_id)
        return bytes(row[0])

    def audit(self) -> list[Version]:
        with self._transaction() as connection:
            return self._versions(connection)

    def renames(self, relative: str) -> dict[str, str]:
        key = self._key(relative)
        with self._transaction() as connection:
            row = connection.execute("SELECT renames FROM wanfeng_renames WHERE file = %s", [key]).fetchone()
        names = row[0] if row else None
        return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}

    def remember_renames(self, relative: str, renames: dict[str, str]) -> None:
        key = self._key(relative)
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO wanfeng_renames (file, renames) VALUES (%s, %s)"
                " ON CONFLICT (file) DO UPDATE SET renames = EXCLUDED.renames",
                [key, Jsonb(dict(renames))],
            )

    def features_in(self, relative: str, area: areas.Box) -> list[dict]:
        """The GeoJSON features of the current version of the layer ``relative`` whose geometry
        meets ``area`` (west, south, east, north): by PostGIS's spatial index where the
        database has it. Personal details are in them, as in the file."""
        key = self._key(relative)
        if not areas.is_layer(key):
            raise KeyError(f"{key} is not a layer")
        with self._connection() as connection:
            spatial = self._spatial(connection)
            with connection.transaction():
                row = connection.execute("SELECT c.seq FROM wanfeng_current c WHERE c.file = %s", [key]).fetchone()
                if row is None:
                    return []
                if areas.indexed(connection, key) != (row[0], spatial):  # saved before areas were kept
                    connection.execute("SELECT pg_advisory_xact_lock(%s)", [SAVE_LOCK + 2])
                    content = connection.execute(
                        "SELECT content FROM wanfeng_versions WHERE seq = %s", [row[0]]
                    ).fetchone()
                    if areas.indexed(connection, key) != (row[0], spatial) and content is not None:
                        areas.index(connection, key, row[0], bytes(content[0]), spatial)
                return areas.within(connection, key, area, spatial)

    # --- files as the exchange format ------------------------------------------------------

    def import_files(self, source: Path, user: str = SYSTEM_USER) -> list[Version]:
        """Take the contract's files found in ``source`` into the database as their current
        versions, but those it already has as they are; ``source`` is only read."""
        source = Path(source).resolve()
        taken = []
        with self._connection() as connection, self._saving(connection, str(source)), connection.transaction():
            current = self._current(connection)
            for dataset in DATASETS.values():
                path = source / dataset.path
                if path.is_file() and _token(content := path.read_bytes()) != current.get(dataset.path):
                    summary = f"imported from {source}"
                    taken.append(self._insert(connection, dataset.path, content, user, summary, "initial"))
        return taken

    def export_files(self, target: Path) -> list[str]:
        """Write the database's current files into ``target``, byte for byte; their keys."""
        with self._transaction() as connection:
            rows = connection.execute(
                "SELECT c.file, v.content FROM wanfeng_current c JOIN wanfeng_versions v ON v.seq = c.seq ORDER BY c.file"
            ).fetchall()
        target = Path(target).resolve()
        for key, content in rows:
            write_atomic(data_file(target, target / ".history", key)[1], bytes(content))
        return [key for key, _content in rows]

    # --- this host's folder ---------------------------------------------------------------

    def sync(self) -> dict[str, str]:
        """Bring this host's folder up to the database's current files, first taking into the
        database any file changed by hand here (or, when the database has none yet, found here);
        the token of each file the database holds."""
        with self._connection() as connection:
            current = self._current(connection)
            if self._differs(current) or current != self._read_mirrored():
                with self._saving(connection, "the data folder"):
                    with connection.transaction():
                        current = self._current(connection)
                        mirrored = self._take_and_give(connection, current, self._files(current))
                    # Only once committed: a file taken in counts as taken when the database has it.
                    self._write_mirrored(mirrored)
                current = self._current(connection)
        _CHECKED[self.folder] = datetime.now(UTC)
        return current

    def _files(self, current: dict[str, str]) -> list[str]:
        return sorted({*current, *(d.path for d in DATASETS.values())})

    def _differs(self, current: dict[str, str]) -> bool:
        return any(_file_token(self.folder / key) != current.get(key, "") for key in self._files(current))

    def _take_and_give(
        self, connection: psycopg.Connection, current: dict[str, str], keys: list[str]
    ) -> dict[str, str]:
        """Take into the database the ``keys`` changed in this folder, write here those the
        database changed; what this host has taken, once the transaction is committed."""
        mirrored = self._read_mirrored()
        for key in keys:
            path = self.folder / key
            for leftover in path.parent.glob(f".{path.name}.*.tmp"):  # of a write killed midway
                leftover.unlink(missing_ok=True)
            found = _file_token(path)
            if found == current.get(key, ""):
                if found:
                    mirrored[key] = found
                continue
            if found and found != mirrored.get(key):
                # Changed here since this host last took the file, or never in the database:
                # kept as a version, and made the current one unless the database moved on too.
                if key in current:
                    summary, details = f"as changed outside the app on {socket.gethostname()}", {"outside": True}
                else:
                    summary, details = "as found before the first save through the app", {}
                taken = key not in current or current[key] == mirrored.get(key)
                content = path.read_bytes()
                self._insert(connection, key, content, SYSTEM_USER, summary, "initial", current=taken, details=details)
                if taken:
                    mirrored[key] = _token(content)
                    continue
            row = connection.execute(
                "SELECT v.content FROM wanfeng_current c JOIN wanfeng_versions v ON v.seq = c.seq WHERE c.file = %s",
                [key],
            ).fetchone()
            if row is not None:
                write_atomic(path, bytes(row[0]))
                mirrored[key] = current[key]
        return mirrored

    def checked_at(self) -> datetime | None:
        """When this host's folder was last found up to date with the database (None: never)."""
        if self.folder in _CHECKED:
            return _CHECKED[self.folder]
        try:
            return datetime.fromisoformat(json.loads(self._mirrored.read_text(encoding="utf-8"))["at"])
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def _key(self, relative: str) -> str:
        return data_file(self.folder, self.history_dir, relative)[0]

    def _read_mirrored(self) -> dict[str, str]:
        try:
            files = json.loads(self._mirrored.read_text(encoding="utf-8")).get("files")
        except (FileNotFoundError, ValueError, AttributeError):
            return {}
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}

    def _write_mirrored(self, files: dict[str, str]) -> None:
        record = {"at": datetime.now(UTC).isoformat(), "files": files}
        write_atomic(self._mirrored, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
