"""Save data files made through the app safely, and keep every version of them.

A save writes a temporary file next to the target and moves it over the old one, so a
reader, a crash or a full disk never leaves half a file. Saves take a lock and are refused
when the file changed since the editor read it. Every content a file ever had is kept
under the history folder, with one line of ``audit.jsonl`` saying who saved it, when and
what changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import NamedTuple

from filelock import FileLock, Timeout

SYSTEM_USER = "system"
LOCK_TIMEOUT = 10.0


class Conflict(Exception):
    """The file changed since the editor started from it."""

    def __init__(self, relative: str, expected: str, current: str) -> None:
        super().__init__(f"{relative} was changed by someone else since it was opened: reload it and edit again")
        self.relative, self.expected, self.current = relative, expected, current


class Busy(TimeoutError):
    """Another save held the lock for longer than the timeout."""


@dataclass(frozen=True)
class Version:
    """One content a file had, and who saved it when and why; also one entry of the audit log.

    ``action`` is "initial" (the content found before a save through the app), "save" or "restore".
    ``details`` says the same as ``summary`` in a form any language can be written from:
    ``counts`` of rows added, removed and changed; ``restored``, when the restored version was
    saved; ``outside``, that an initial version was changed outside the app.
    """

    id: str
    file: str
    saved_at: datetime
    user: str
    action: str
    summary: str
    size: int
    details: dict = dataclasses.field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({**dataclasses.asdict(self), "saved_at": self.saved_at.isoformat()}, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Version:
        record = json.loads(line)
        values = {f.name: record[f.name] for f in dataclasses.fields(cls) if f.name != "details"}
        values["details"] = record.get("details") if isinstance(record.get("details"), dict) else {}
        return cls(**{**values, "saved_at": datetime.fromisoformat(values["saved_at"])})


class Change(NamedTuple):
    """Who saves a new version, why, and how (``Version``'s fields of the same names)."""

    user: str
    summary: str
    action: str
    details: dict


class Store(ABC):
    """The data files the dashboard shows, with every version of them and who saved it: kept
    in the data folder (``DataStore``) or in a database (``lib.files.database``)."""

    folder: Path

    @abstractmethod
    def token(self, relative: str) -> str:
        """SHA-256 of the file as it is now; "" when it does not exist."""

    def save(
        self,
        relative: str,
        content: bytes,
        *,
        user: str,
        summary: str,
        expected: str,
        action: str = "save",
        details: dict | None = None,
    ) -> Version:
        """Replace the file with ``content`` if its token is still ``expected``, else raise Conflict."""
        if action not in ("save", "restore"):
            raise ValueError(f"unknown action {action!r}: use 'save' or 'restore'")
        return self._replace(relative, content, expected, Change(user, summary, action, dict(details or {})))

    @abstractmethod
    def _replace(self, relative: str, content: bytes, expected: str, change: Change) -> Version:
        """``save``, its action known to be one."""

    @abstractmethod
    def history(self, relative: str) -> list[Version]:
        """The versions of one file, newest first."""

    @abstractmethod
    def read(self, relative: str, version_id: str) -> bytes:
        """The content of one version; KeyError if the file has no such version."""

    @abstractmethod
    def audit(self) -> list[Version]:
        """Every version of every file, newest first."""

    @abstractmethod
    def renames(self, relative: str) -> dict[str, str]:
        """The contract names an editor gave the attributes of the last upload of a file
        (``{"XZQMC": "name_zh"}``), to offer again for the next one."""

    @abstractmethod
    def remember_renames(self, relative: str, renames: dict[str, str]) -> None:
        """Keep the names given to a file's attributes for its next upload."""

    def restore(
        self, relative: str, version_id: str, *, user: str, expected: str, summary: str | None = None
    ) -> Version:
        """Make an old version the current content again, as a new version."""
        version = next((v for v in self.history(relative) if v.id == version_id), None)
        if version is None:
            raise KeyError(version_id)
        content = self.read(version.file, version.id)
        summary = summary or f"restored the version of {version.saved_at:%Y-%m-%d %H:%M:%S} UTC"
        return self.save(
            relative,
            content,
            user=user,
            summary=summary,
            expected=expected,
            action="restore",
            details={"restored": version.saved_at.isoformat(), "restored_id": version.id},
        )


class DataStore(Store):
    """The data files under ``folder``, with their versions and audit log under ``history``."""

    def __init__(self, folder: Path, history: Path | None = None, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.folder = Path(folder).resolve()
        self.history_dir = Path(history).resolve() if history else (self.folder / ".history").resolve()
        self.lock_timeout = lock_timeout
        self._log = self.history_dir / "audit.jsonl"
        self._lock = self.history_dir / "save.lock"
        self._renames = self.history_dir / "renames.json"

    def renames(self, relative: str) -> dict[str, str]:
        """The contract names an editor gave the attributes of the last upload of a file
        (``{"XZQMC": "name_zh"}``), to offer again for the next one."""
        key = self._path(relative)[0]
        try:
            remembered = json.loads(self._renames.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        names = remembered.get(key) if isinstance(remembered, dict) else None
        return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}

    def remember_renames(self, relative: str, renames: dict[str, str]) -> None:
        """Keep the names given to a file's attributes for its next upload."""
        key = self._path(relative)[0]
        with self._locked(key):
            try:
                remembered = json.loads(self._renames.read_text(encoding="utf-8"))
            except (FileNotFoundError, json.JSONDecodeError):
                remembered = {}
            remembered = remembered if isinstance(remembered, dict) else {}
            remembered[key] = dict(renames)
            write_atomic(self._renames, json.dumps(remembered, ensure_ascii=False, indent=1).encode("utf-8"))

    def token(self, relative: str) -> str:
        """SHA-256 of the file as it is now; "" when it does not exist."""
        try:
            return hashlib.sha256(self._path(relative)[1].read_bytes()).hexdigest()
        except FileNotFoundError:
            return ""

    def _replace(self, relative: str, content: bytes, expected: str, change: Change) -> Version:
        key, path = self._path(relative)
        with self._locked(key):
            self._remove_leftovers(key, path)
            current = self.token(key)
            if current != expected:
                raise Conflict(key, expected, current)
            entries = self._entries()
            if current:
                self._keep_untracked(key, path, entries)
            return self._record(key, path, content, *change[:3], entries, details=change.details)

    def history(self, relative: str) -> list[Version]:
        """The versions of one file, newest first."""
        key = self._path(relative)[0]
        return [v for v in reversed(self._entries()) if v.file == key]

    def read(self, relative: str, version_id: str) -> bytes:
        """The content of one version; KeyError if the file has no such version."""
        key = self._path(relative)[0]
        # Only ids from the log are looked up, so an id can never name a path of its own.
        if not any(v.id == version_id for v in self.history(key)):
            raise KeyError(version_id)
        return self._snapshot(key, version_id).read_bytes()

    def audit(self) -> list[Version]:
        """Every version of every file, newest first."""
        return list(reversed(self._entries()))

    def _path(self, relative: str) -> tuple[str, Path]:
        return data_file(self.folder, self.history_dir, relative)

    def _snapshot(self, key: str, version_id: str) -> Path:
        return self.history_dir / "versions" / key / f"{version_id}{PurePosixPath(key).suffix}"

    def _remove_leftovers(self, key: str, path: Path) -> None:
        """Remove the temporary files of a save that was killed midway; only a save holding
        the lock writes them, so under the lock any that exist are left over."""
        for folder, pattern in ((path.parent, f".{path.name}.*.tmp"), (self._snapshot(key, "-").parent, ".*.tmp")):
            for leftover in folder.glob(pattern):
                leftover.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _locked(self, key: str) -> Iterator[None]:
        # One lock for all files: saves are rare, and it also keeps the audit log's lines whole.
        self.history_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self._lock, timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout as error:
            raise Busy(f"another save is still running, {key} was not saved: try again in a moment") from error
        try:
            yield
        finally:
            lock.release()

    def _entries(self) -> list[Version]:
        try:
            text = self._log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        entries = []
        # Split on "\n" only: summaries may hold other line separators that JSON leaves as they are.
        for line in text.split("\n"):
            with contextlib.suppress(ValueError, KeyError, TypeError):  # a line torn by a crash
                entries.append(Version.from_json(line))
        return entries

    def _keep_untracked(self, key: str, path: Path, entries: list[Version]) -> None:
        """Keep the current content as a version unless it already is the latest one."""
        latest = next((v for v in reversed(entries) if v.file == key), None)
        content = path.read_bytes()
        details = {}
        if latest is None:
            summary = "as found before the first save through the app"
        else:
            snapshot = self._snapshot(key, latest.id)
            if snapshot.exists() and snapshot.read_bytes() == content:
                return
            summary, details = "as changed outside the app", {"outside": True}
        self._record(key, path, content, SYSTEM_USER, summary, "initial", entries, replace=False, details=details)

    def _record(
        self,
        key: str,
        path: Path,
        content: bytes,
        user: str,
        summary: str,
        action: str,
        entries: list[Version],
        *,
        replace: bool = True,
        details: dict | None = None,
    ) -> Version:
        saved_at = datetime.now(UTC)
        version_id = unique_version_id(saved_at, {v.id for v in entries}, lambda i: self._snapshot(key, i).exists())
        snapshot = self._snapshot(key, version_id)
        write_atomic(snapshot, content)
        if replace:
            try:
                write_atomic(path, content)
            except BaseException:
                snapshot.unlink(missing_ok=True)
                raise
        version = Version(
            version_id, key, saved_at, user, action, " ".join(summary.split()), len(content), dict(details or {})
        )
        self._append(version)
        return version

    def _append(self, version: Version) -> None:
        data = (version.to_json() + "\n").encode("utf-8")
        with open(self._log, "a+b") as log:
            end = log.seek(0, os.SEEK_END)
            if end:
                log.seek(end - 1)
                if log.read(1) != b"\n":
                    data = b"\n" + data  # end a line torn by a crash, so it cannot swallow this one
            log.write(data)
            log.flush()
            os.fsync(log.fileno())


def data_file(folder: Path, history: Path, relative: str) -> tuple[str, Path]:
    """The key (POSIX path relative to ``folder``) and absolute path of a data file; ValueError
    for a path outside the folder, in the ``history`` folder, or of a folder."""
    parts = PurePosixPath(relative).parts if relative else ()
    if not parts or PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).anchor or ".." in parts:
        raise ValueError(f"{relative!r} is not a relative path inside the data folder")
    path = (folder / relative).resolve()
    if path == folder or not path.is_relative_to(folder):
        raise ValueError(f"{relative!r} resolves outside the data folder {folder}")
    if path == history or path.is_relative_to(history):
        raise ValueError(f"{relative!r} is in the history folder, which only the store writes")
    if path.is_dir():
        raise ValueError(f"{relative!r} is a folder, not a data file")
    return path.relative_to(folder).as_posix(), path


def unique_version_id(saved_at: datetime, taken: set[str], exists: Callable[[str], bool]) -> str:
    """A version id that sorts by ``saved_at``, told apart from the ``taken`` ones and those that ``exists``."""
    base = saved_at.strftime("%Y%m%dT%H%M%S%fZ")
    candidate, n = base, 0
    while candidate in taken or exists(candidate):
        n += 1
        candidate = f"{base}-{n:02d}"
    return candidate


def write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that the path holds the old or the new bytes, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp makes the file private; keep the mode the old file had so other readers still can.
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        try:
            os.chmod(temporary, mode)
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    # Makes the rename itself durable. Not possible on Windows or some file systems; the file
    # is in place by now, so failing the save here would only make the caller save it twice.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
