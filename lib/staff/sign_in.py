"""Editors and their passwords, kept hashed (Argon2) in a file outside the repository, or in
the database that servers on several hosts share.

Viewers need no account. Editors are added with ``python scripts/serving/editors.py add NAME`` or, by
an administrator, on the data page; the file lives at ``WANFENG_EDITORS_FILE`` or, by default,
``~/.config/wanfeng-dashboard/editors.json``; with ``WANFENG_DATABASE_URL`` the accounts and
the count of failed sign-ins are in that database. Each editor has a role: ``editor`` keeps the
data, ``admin`` also adds and removes editors.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg.types.json import Jsonb

from lib.contract import settings
from lib.files.database import connected

_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
EDITOR, ADMIN = "editor", "admin"
ROLES = (EDITOR, ADMIN)


@dataclass(frozen=True)
class AccountsTable:
    """The editors' accounts in the PostgreSQL database at ``url`` (one JSON document, as in
    the file, changed in one transaction)."""

    url: str

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        with connected(self.url, _ACCOUNTS_SCHEMA) as connection, connection.transaction():
            yield connection


_ACCOUNTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS wanfeng_accounts (id integer PRIMARY KEY CHECK (id = 1), accounts jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS wanfeng_sign_in_failures (
    name text, address text, count integer NOT NULL, blocked_until double precision NOT NULL,
    PRIMARY KEY (name, address)
);
"""
Accounts = Path | AccountsTable


def editor_accounts() -> Accounts:
    """Where the editors' accounts are kept, as the settings say."""
    url = settings.database_url()
    return AccountsTable(url) if url else settings.editors_file()


def _accounts(where: Accounts) -> dict[str, dict[str, str]]:
    """Name → {"hash", "role"}; files written before roles existed map names to hashes."""
    if isinstance(where, AccountsTable):
        with where.transaction() as connection:
            row = connection.execute("SELECT accounts FROM wanfeng_accounts WHERE id = 1").fetchone()
        stored = row[0] if row else {}
    else:
        stored = json.loads(where.read_text(encoding="utf-8")) if where.exists() else {}
    return {
        name: entry if isinstance(entry, dict) else {"hash": entry, "role": EDITOR} for name, entry in stored.items()
    }


def read_editors(path: Accounts) -> dict[str, str]:
    """Editor name → password hash; empty when no editor has been added."""
    return {name: entry["hash"] for name, entry in _accounts(path).items()}


def read_roles(path: Accounts) -> dict[str, str]:
    """Editor name → role (``editor`` or ``admin``)."""
    return {name: entry.get("role", EDITOR) for name, entry in _accounts(path).items()}


def set_password(path: Accounts, name: str, password: str, role: str | None = None) -> None:
    """Add an editor, or change an editor's password; ``role`` None keeps the role they have
    (a new editor is an ``editor``)."""
    if not name.strip():
        raise ValueError("the editor's name must not be empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    accounts = _accounts(path)
    kept = accounts.get(name.strip(), {}).get("role", EDITOR)
    accounts[name.strip()] = {"hash": _HASHER.hash(password), "role": role or kept}
    _write(path, accounts)


def remove_editor(path: Accounts, name: str) -> None:
    """Take an editor's sign-in away."""
    accounts = _accounts(path)
    if accounts.pop(name, None) is None:
        raise KeyError(name)
    _write(path, accounts)


def _write(where: Accounts, editors: dict[str, dict[str, str]]) -> None:
    if isinstance(where, AccountsTable):
        with where.transaction() as connection:
            connection.execute(
                "INSERT INTO wanfeng_accounts (id, accounts) VALUES (1, %s)"
                " ON CONFLICT (id) DO UPDATE SET accounts = EXCLUDED.accounts",
                [Jsonb(editors)],
            )
        return
    path = where
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(editors, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.chmod(0o600)  # hashes only, but no one else needs to read them
    temporary.replace(path)


def verify(editors: dict[str, str], name: str, password: str) -> bool:
    """Whether ``password`` is the editor's; an unknown name costs the same time as a wrong password."""
    stored = editors.get(name)
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH = _HASHER.hash("no such editor")


def client_address(peer: str | None, headers: Mapping[str, str]) -> str:
    """The address a sign-in comes from: the connection's, or, where that is the nginx of
    ``deploy/nginx.conf`` on this host, the ``X-Real-IP`` it sets (a client cannot forge it:
    nginx overwrites it; a header from anyone else is not believed)."""
    local = peer in (None, "", "127.0.0.1", "::1", "localhost")
    forwarded = next((v for k, v in headers.items() if k.lower() == "x-real-ip"), None)
    if local and forwarded:
        return forwarded.strip()
    return peer or "127.0.0.1"


def sign_in_guard() -> SignInGuard | DatabaseSignInGuard:
    """The count of failed sign-ins every process shares: beside the editors' file, or in the
    database with the accounts."""
    accounts = editor_accounts()
    if isinstance(accounts, AccountsTable):
        return DatabaseSignInGuard(accounts)
    return SignInGuard(accounts.with_name("sign-in-failures.sqlite3"))


@dataclass
class SignInGuard:
    """Slows repeated failed sign-ins: each failure of a name from one address doubles the wait
    before that address may try the name again, up to ``longest`` seconds.

    Counted in a small SQLite database, so every dashboard process (several behind nginx, on
    one host) sees the same count. Keyed by the name *and* the address trying it: a stranger
    failing in an editor's name slows only the stranger, never the editor at their own desk.
    """

    path: Path
    longest: float = 60.0
    clock: Callable[[], float] = time.time

    def wait(self, name: str, address: str) -> float:
        """Seconds until ``address`` may try ``name`` again (0 when it may now)."""
        with self._database() as db:
            row = db.execute("SELECT blocked_until FROM failures WHERE name = ? AND address = ?", (name, address))
            found = row.fetchone()
        return max(0.0, found[0] - self.clock()) if found else 0.0

    def record(self, name: str, address: str, success: bool) -> None:
        """Note the outcome of a sign-in attempt."""
        with self._database() as db:
            if success:
                db.execute("DELETE FROM failures WHERE name = ? AND address = ?", (name, address))
                return
            found = db.execute("SELECT count FROM failures WHERE name = ? AND address = ?", (name, address)).fetchone()
            count = (found[0] if found else 0) + 1
            until = self.clock() + min(2.0 ** (count - 1), self.longest)
            db.execute(
                "INSERT INTO failures (name, address, count, blocked_until) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name, address) DO UPDATE SET count = excluded.count, blocked_until = excluded.blocked_until",
                (name, address, count, until),
            )

    @contextlib.contextmanager
    def _database(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One transaction per call, taking SQLite's write lock before it reads: two processes
        # counting a failure at once cannot both read the old count.
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "CREATE TABLE IF NOT EXISTS failures (name TEXT, address TEXT, count INTEGER, blocked_until REAL, "
                "PRIMARY KEY (name, address))"
            )
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()


@dataclass
class DatabaseSignInGuard:
    """``SignInGuard`` counted in the database that servers on several hosts share: a failure
    on one host slows the next try on every other."""

    accounts: AccountsTable
    longest: float = 60.0
    clock: Callable[[], float] = time.time

    def wait(self, name: str, address: str) -> float:
        """Seconds until ``address`` may try ``name`` again (0 when it may now)."""
        with self.accounts.transaction() as connection:
            found = connection.execute(
                "SELECT blocked_until FROM wanfeng_sign_in_failures WHERE name = %s AND address = %s", [name, address]
            ).fetchone()
        return max(0.0, found[0] - self.clock()) if found else 0.0

    def record(self, name: str, address: str, success: bool) -> None:
        """Note the outcome of a sign-in attempt (one statement: two hosts counting at once
        both count)."""
        with self.accounts.transaction() as connection:
            if success:
                connection.execute(
                    "DELETE FROM wanfeng_sign_in_failures WHERE name = %s AND address = %s", [name, address]
                )
                return
            connection.execute(
                "INSERT INTO wanfeng_sign_in_failures AS f (name, address, count, blocked_until)"
                " VALUES (%(name)s, %(address)s, 1, %(now)s + 1)"
                " ON CONFLICT (name, address) DO UPDATE SET count = f.count + 1,"
                " blocked_until = %(now)s + least(power(2, f.count), %(longest)s)",
                {"name": name, "address": address, "now": self.clock(), "longest": self.longest},
            )
