"""Editors' passwords: hashed, outside the repository, and slowed after failures. The tests
named with ``accounts`` or ``guard_at`` run on both kinds of storage: files beside each other
outside the repository, and the PostgreSQL database that servers on several hosts share."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lib.contract.settings import ROOT
from lib.staff.sign_in import (
    AccountsTable,
    DatabaseSignInGuard,
    SignInGuard,
    client_address,
    read_editors,
    read_roles,
    remove_editor,
    set_password,
    verify,
)


@pytest.fixture(params=["file", "database"])
def accounts(request, tmp_path):
    """Where the accounts are kept: a file, or a new database."""
    if request.param == "database":
        return AccountsTable(request.getfixturevalue("database_url"))
    return tmp_path / "editors.json"


def _guard(accounts, **options):
    if isinstance(accounts, AccountsTable):
        return DatabaseSignInGuard(accounts, **options)
    return SignInGuard(accounts.with_name("failures.sqlite3"), **options)


def test_passwords_are_stored_hashed(tmp_path):
    path = tmp_path / "editors.json"
    set_password(path, "王芳", "correct horse")
    stored = path.read_text(encoding="utf-8")
    assert "correct horse" not in stored and "$argon2id$" in stored
    editors = read_editors(path)
    assert verify(editors, "王芳", "correct horse")
    assert not verify(editors, "王芳", "wrong horse")
    assert not verify(editors, "nobody", "correct horse")


def test_changing_and_removing(accounts):
    path = accounts
    set_password(path, "a", "first password")
    set_password(path, "a", "second password")
    assert verify(read_editors(path), "a", "second password")
    remove_editor(path, "a")
    assert read_editors(path) == {}
    with pytest.raises(KeyError):
        remove_editor(path, "a")


def test_short_password_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 8"):
        set_password(tmp_path / "editors.json", "a", "short")


def test_failed_sign_ins_are_slowed(accounts):
    now = [100.0]
    guard = _guard(accounts, longest=8, clock=lambda: now[0])
    assert guard.wait("a", "10.0.0.9") == 0
    for expected in (1, 2, 4, 8, 8):
        guard.record("a", "10.0.0.9", success=False)
        assert guard.wait("a", "10.0.0.9") == expected
    assert guard.wait("b", "10.0.0.9") == 0  # another name is not slowed
    # A stranger failing in a name slows only the stranger: the editor at their desk signs in.
    assert guard.wait("a", "10.0.0.5") == 0
    now[0] += 8
    guard.record("a", "10.0.0.9", success=True)
    guard.record("a", "10.0.0.9", success=False)
    assert guard.wait("a", "10.0.0.9") == 1  # a success starts the count again


_FAIL_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from lib.staff.sign_in import AccountsTable, DatabaseSignInGuard, SignInGuard
where = sys.argv[1]
guard = DatabaseSignInGuard(AccountsTable(where)) if where.startswith("postgresql:") else SignInGuard(Path(where))
for _ in range(3):
    guard.record("王芳", "10.0.0.9", success=False)
print(guard.wait("王芳", "10.0.0.9"))
"""


def test_slowing_holds_across_processes(accounts):
    """As behind nginx, or on another host: failures counted by one dashboard process slow the
    next try in another."""
    here = _guard(accounts)
    database = accounts.url if isinstance(accounts, AccountsTable) else here.path
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _FAIL_IN_ANOTHER_PROCESS, str(database)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    waits = [float(p.communicate(timeout=60)[0]) for p in processes]
    assert max(waits) > 16  # six failures in all, counted together: 2**5 s, whichever ran last
    assert here.wait("王芳", "10.0.0.9") > 16 and here.wait("王芳", "10.0.0.20") == 0


def test_the_address_is_nginxs_real_ip_only_when_nginx_is_local():
    assert client_address("10.0.0.9", {}) == "10.0.0.9"
    assert client_address("127.0.0.1", {"X-Real-Ip": "10.0.0.9"}) == "10.0.0.9"
    assert client_address(None, {"x-real-ip": "10.0.0.9"}) == "10.0.0.9"
    # A header sent by a client straight to the dashboard is not believed.
    assert client_address("10.0.0.5", {"X-Real-Ip": "10.0.0.9"}) == "10.0.0.5"


def test_editors_command(tmp_path):
    env = {"WANFENG_EDITORS_FILE": str(tmp_path / "editors.json"), "PATH": "/usr/bin:/bin"}

    def editors(*args: str, password: str | None = None) -> subprocess.CompletedProcess:
        command = [sys.executable, str(ROOT / "scripts/serving/editors.py"), *args]
        return subprocess.run(command, input=password, env=env, capture_output=True, text=True)

    assert "saved 李明" in editors("add", "李明", "--password-stdin", password="a long password\n").stdout
    assert editors("add", "王芳", "--admin", "--password-stdin", password="another long one\n").returncode == 0
    assert editors("list").stdout.splitlines() == ["李明\teditor", "王芳\tadmin"]
    assert verify(read_editors(tmp_path / "editors.json"), "李明", "a long password")
    # A new password keeps the role; removing a name that is not there says so, without a traceback.
    assert editors("add", "王芳", "--password-stdin", password="a third password\n").returncode == 0
    assert read_roles(tmp_path / "editors.json") == {"李明": "editor", "王芳": "admin"}
    missing = editors("remove", "张三")
    assert missing.returncode == 1 and "no editor named 张三" in missing.stderr and "Traceback" not in missing.stderr


def test_editors_files_from_before_roles_still_sign_in(tmp_path):
    path = tmp_path / "editors.json"
    set_password(path, "李明", "a long password")
    hashed = read_editors(path)["李明"]
    path.write_text(json.dumps({"李明": hashed}), encoding="utf-8")  # the format before roles
    assert verify(read_editors(path), "李明", "a long password") and read_roles(path) == {"李明": "editor"}
    with pytest.raises(ValueError, match="unknown role"):
        set_password(path, "李明", "a long password", role="owner")
