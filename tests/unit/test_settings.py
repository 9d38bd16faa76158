"""One settings source for the server and every command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lib.contract.settings import ROOT, SettingsError, setting
from lib.staff.sign_in import read_editors, verify


def test_the_environment_then_the_secrets_file_then_the_default(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('WANFENG_EDITORS_FILE = "/srv/wanfeng/editors.json"\nTIANDITU_KEY = "k"\n', encoding="utf-8")
    assert setting("WANFENG_EDITORS_FILE", environ={}, secrets_file=secrets) == "/srv/wanfeng/editors.json"
    assert (
        setting("WANFENG_EDITORS_FILE", environ={"WANFENG_EDITORS_FILE": "/e.json"}, secrets_file=secrets) == "/e.json"
    )
    assert setting("WANFENG_DATA_DIR", "data", environ={}, secrets_file=secrets) == "data"
    assert setting("WANFENG_DATA_DIR", environ={}, secrets_file=tmp_path / "none.toml") is None


def test_a_broken_secrets_file_is_named_not_ignored(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("WANFENG_DATA_DIR = /no/quotes\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"secrets\.toml"):
        setting("WANFENG_DATA_DIR", environ={}, secrets_file=secrets)


def _repository(tmp_path: Path, secrets: str) -> Path:
    """A copy of the code with its own ``.streamlit/secrets.toml``: the commands read the one
    beside them, so a test cannot point them at another without copying them."""
    copy = tmp_path / "repo"
    for folder in ("lib", "scripts", "config"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".streamlit").mkdir()
    (copy / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
    return copy


def _command(copy: Path, script: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # No setting from the environment, and a home of its own: only the secrets file can decide.
    # The copy's lib/ comes before the project installed in the environment.
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(copy.parent / "home"), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = str(copy)
    return subprocess.run(
        [sys.executable, str(copy / "scripts" / script), *args],
        input=stdin, cwd=copy.parent, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip


COMMANDS = {
    "data/check_data.py": ("--lang", "en"),
    "serving/editors.py": ("list", "--lang", "en"),
    "data/export_report.py": ("--lang", "en", "--out", "exports"),
}


@pytest.mark.parametrize("script", COMMANDS)
def test_every_command_names_a_broken_secrets_file_in_one_line(tmp_path, script):
    copy = _repository(tmp_path, "WANFENG_DATA_DIR = /no/quotes\n")
    result = _command(copy, script, *COMMANDS[script])
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout, result.stderr
    [line] = result.stderr.splitlines()
    assert (
        line.startswith(f"cannot read the settings file {copy / '.streamlit' / 'secrets.toml'}: ") and "line 1" in line
    )


def test_the_settings_error_is_said_in_chinese_too(tmp_path):
    copy = _repository(tmp_path, "WANFENG_DATA_DIR = /no/quotes\n")
    result = _command(copy, "data/check_data.py")
    assert result.returncode == 1
    assert result.stderr.startswith(f"无法读取设置文件 {copy / '.streamlit' / 'secrets.toml'}：")


def test_editors_add_writes_the_editors_file_the_secrets_name(tmp_path):
    editors = tmp_path / "srv" / "editors.json"
    copy = _repository(tmp_path, f'WANFENG_EDITORS_FILE = "{editors}"\n')
    added = _command(copy, "serving/editors.py", "add", "李明", "--password-stdin", stdin="a long password\n")
    assert added.returncode == 0, added.stderr
    assert verify(read_editors(editors), "李明", "a long password")
    assert not (tmp_path / "home").exists()  # not the default file under ~/.config
    # The server reads the same file: lib.contract.settings with the same secrets and no environment.
    assert setting("WANFENG_EDITORS_FILE", environ={}, secrets_file=copy / ".streamlit" / "secrets.toml") == str(
        editors
    )
    assert _command(copy, "serving/editors.py", "list").stdout.splitlines() == ["李明\teditor"]
