"""The dashboard's settings, read the same way by the server and by every command.

A setting is an environment variable, or else an entry of ``.streamlit/secrets.toml`` (the
place the README recommends on a server), or else its default. Streamlit copies the secrets
file's entries into the environment of the server only; reading the file here gives the
commands (``scripts/serving/editors.py``, ``check_data.py``, ``export_report.py`` …) the same values.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from lib.contract.catalog import Lang
from lib.contract.i18n import tr

# Where the project's own files are, found from here: the server and every command alike.
ROOT = Path(__file__).resolve().parents[2]
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_EDITORS_FILE = Path.home() / ".config" / "wanfeng-dashboard" / "editors.json"
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "wanfeng-dashboard"
BASEMAPS_FILE = ROOT / "config" / "basemaps.toml"
PAGES_DIR = ROOT / "pages"
STATIC_DIR = ROOT / "static"  # what Streamlit serves as app/static (enableStaticServing)


class SettingsError(ValueError):
    """The secrets file cannot be read: said with its path, never ignored."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: cannot read the settings file: {reason}")
        self.path, self.reason = path, reason

    def message(self, lang: Lang) -> str:
        """What is wrong in one line of the reader's language, naming the file."""
        return tr("settings.unreadable", lang, path=self.path, reason=self.reason)


def secrets(path: Path = SECRETS_FILE) -> dict[str, str]:
    """The secrets file's top-level entries as text; none when there is no file."""
    try:
        modified = path.stat().st_mtime_ns
    except FileNotFoundError:
        return {}
    return dict(_read_secrets(path, modified))


@lru_cache(maxsize=4)
def _read_secrets(path: Path, modified: int) -> tuple[tuple[str, str], ...]:
    # Keyed by the file's time: settings are asked for on every rerun, the file read once a change.
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(path, getattr(error, "strerror", None) or str(error)) from error
    return tuple((key, str(value)) for key, value in document.items() if isinstance(value, str | int | float | bool))


def setting(
    name: str, default: str | None = None, environ: Mapping[str, str] = os.environ, secrets_file: Path = SECRETS_FILE
) -> str | None:
    """A setting: the environment's, else the secrets file's, else ``default``."""
    return environ.get(name) or secrets(secrets_file).get(name) or default


def data_dir() -> Path:
    """The data folder: ``WANFENG_DATA_DIR``, else the bundled ``data/``."""
    return Path(setting("WANFENG_DATA_DIR") or DEFAULT_DATA_DIR).expanduser().resolve()


def database_url() -> str | None:
    """The PostgreSQL database that holds the data files, their history and the audit log for
    servers on several hosts (``WANFENG_DATABASE_URL``, e.g. postgresql://user@host/wanfeng);
    None: they are kept in the data folder, the default."""
    return setting("WANFENG_DATABASE_URL")


def editors_file() -> Path:
    """Where the editors' hashed passwords are kept: ``WANFENG_EDITORS_FILE``, else under ~/.config."""
    return Path(setting("WANFENG_EDITORS_FILE") or DEFAULT_EDITORS_FILE).expanduser()


def cache_dir() -> Path:
    """Where large layers are kept as read and checked (``lib.files.parsed``), and what their
    maps published (``lib.drawn.offline.published_once``): ``WANFENG_CACHE_DIR``, else under
    ~/.cache."""
    return Path(setting("WANFENG_CACHE_DIR") or DEFAULT_CACHE_DIR).expanduser()
