"""Editors and their passwords, kept hashed (Argon2) in a file outside the repository.

Viewers need no account. Editors are added with ``python scripts/editors.py add NAME`` or, by
an administrator, on the data page; the file lives at ``WANFENG_EDITORS_FILE`` or, by default,
``~/.config/wanfeng-dashboard/editors.json``. Each editor has a role: ``editor`` keeps the data,
``admin`` also adds and removes editors.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
EDITOR, ADMIN = "editor", "admin"
ROLES = (EDITOR, ADMIN)


def editors_file() -> Path:
    """Where the editors' hashed passwords are kept."""
    default = Path.home() / ".config" / "wanfeng-dashboard" / "editors.json"
    return Path(os.environ.get("WANFENG_EDITORS_FILE", default))


def _accounts(path: Path) -> dict[str, dict[str, str]]:
    """Name → {"hash", "role"}; files written before roles existed map names to hashes."""
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {
        name: entry if isinstance(entry, dict) else {"hash": entry, "role": EDITOR} for name, entry in stored.items()
    }


def read_editors(path: Path) -> dict[str, str]:
    """Editor name → password hash; empty when no editor has been added."""
    return {name: entry["hash"] for name, entry in _accounts(path).items()}


def read_roles(path: Path) -> dict[str, str]:
    """Editor name → role (``editor`` or ``admin``)."""
    return {name: entry.get("role", EDITOR) for name, entry in _accounts(path).items()}


def set_password(path: Path, name: str, password: str, role: str | None = None) -> None:
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


def remove_editor(path: Path, name: str) -> None:
    """Take an editor's sign-in away."""
    accounts = _accounts(path)
    if accounts.pop(name, None) is None:
        raise KeyError(name)
    _write(path, accounts)


def _write(path: Path, editors: dict[str, dict[str, str]]) -> None:
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


@dataclass
class SignInGuard:
    """Slows repeated failed sign-ins: each failure for a name doubles the wait before the next
    try, up to ``longest`` seconds. Shared by every session of the server process."""

    longest: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, int] = field(default_factory=dict)
    _blocked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, name: str) -> float:
        """Seconds until ``name`` may try again (0 when it may now)."""
        with self._lock:
            return max(0.0, self._blocked_until.get(name, 0.0) - self.clock())

    def record(self, name: str, success: bool) -> None:
        """Note the outcome of a sign-in attempt."""
        with self._lock:
            if success:
                self._failures.pop(name, None)
                self._blocked_until.pop(name, None)
                return
            failures = self._failures.get(name, 0) + 1
            self._failures[name] = failures
            self._blocked_until[name] = self.clock() + min(2.0 ** (failures - 1), self.longest)
