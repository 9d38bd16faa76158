"""Editors' passwords: hashed, outside the repository, and slowed after failures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lib.auth import SignInGuard, read_editors, read_roles, remove_editor, set_password, verify
from tests.conftest import ROOT


def test_passwords_are_stored_hashed(tmp_path):
    path = tmp_path / "editors.json"
    set_password(path, "王芳", "correct horse")
    stored = path.read_text(encoding="utf-8")
    assert "correct horse" not in stored and "$argon2id$" in stored
    editors = read_editors(path)
    assert verify(editors, "王芳", "correct horse")
    assert not verify(editors, "王芳", "wrong horse")
    assert not verify(editors, "nobody", "correct horse")


def test_changing_and_removing(tmp_path):
    path = tmp_path / "editors.json"
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


def test_failed_sign_ins_are_slowed():
    now = [100.0]
    guard = SignInGuard(longest=8, clock=lambda: now[0])
    assert guard.wait("a") == 0
    for expected in (1, 2, 4, 8, 8):
        guard.record("a", success=False)
        assert guard.wait("a") == expected
    assert guard.wait("b") == 0  # another name is not slowed
    now[0] += 8
    guard.record("a", success=True)
    guard.record("a", success=False)
    assert guard.wait("a") == 1  # a success starts the count again


def test_editors_command(tmp_path):
    env = {"WANFENG_EDITORS_FILE": str(tmp_path / "editors.json"), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, str(ROOT / "scripts/editors.py")]
    added = subprocess.run(
        [*run, "add", "李明", "--password-stdin"],
        input="a long password\n",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "saved 李明" in added.stdout
    admin = [*run, "add", "王芳", "--admin", "--password-stdin"]
    subprocess.run(admin, input="another long one\n", env=env, capture_output=True, text=True, check=True)
    listed = subprocess.run([*run, "list"], env=env, capture_output=True, text=True, check=True)
    assert listed.stdout.splitlines() == ["李明\teditor", "王芳\tadmin"]
    assert verify(read_editors(tmp_path / "editors.json"), "李明", "a long password")
    # A new password keeps the role; removing a name that is not there says so, without a traceback.
    subprocess.run(
        [*run, "add", "王芳", "--password-stdin"],
        input="a third password\n",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert read_roles(tmp_path / "editors.json") == {"李明": "editor", "王芳": "admin"}
    missing = subprocess.run([*run, "remove", "张三"], env=env, capture_output=True, text=True)
    assert missing.returncode == 1 and "no editor named 张三" in missing.stderr and "Traceback" not in missing.stderr


def test_editors_files_from_before_roles_still_sign_in(tmp_path):
    path = tmp_path / "editors.json"
    set_password(path, "李明", "a long password")
    hashed = read_editors(path)["李明"]
    path.write_text(json.dumps({"李明": hashed}), encoding="utf-8")  # the format before roles
    assert verify(read_editors(path), "李明", "a long password") and read_roles(path) == {"李明": "editor"}
    with pytest.raises(ValueError, match="unknown role"):
        set_password(path, "李明", "a long password", role="owner")
