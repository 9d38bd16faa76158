"""One settings source for the server and every command."""

from __future__ import annotations

import pytest

from lib.settings import SettingsError, setting


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
