"""Where the data files are kept, as the screens use it: the data folder (the default) or a
PostgreSQL database shared by servers on several hosts (``WANFENG_DATABASE_URL``), whose
current files each server mirrors into its own data folder at every interaction."""

from __future__ import annotations

import streamlit as st

from lib.contract.i18n import Lang, tr
from lib.contract.settings import data_dir, database_url
from lib.files.database import DatabaseStore, Unavailable
from lib.files.store import DataStore, Store, Version

# Whether the database could not be reached at this process's last interaction.
_followed = {"down": False}


def store() -> Store:
    """The versioned store of the data the dashboard shows."""
    url = database_url()
    return DatabaseStore(url, data_dir()) if url else DataStore(data_dir())


def follow() -> None:
    """Bring this server's data folder up to the database's files (nothing to do without one);
    when the database cannot be reached, the folder keeps what it had (``database_down``)."""
    kept = store()
    if not isinstance(kept, DatabaseStore):
        return
    try:
        kept.sync()
        _followed["down"] = False
    except Unavailable:
        _followed["down"] = True


def database_down() -> bool:
    """Whether the database holds the data and could not be reached at the last interaction."""
    return bool(_followed["down"]) and database_url() is not None


def outage_notice(lang: Lang) -> None:
    """A notice, on every page, that the database cannot be reached and how old the data is."""
    kept = store()
    if not database_down() or not isinstance(kept, DatabaseStore):
        return
    checked = kept.checked_at()
    when = tr("storage.never_checked", lang) if checked is None else f"{checked.astimezone():%Y-%m-%d %H:%M}"
    st.warning(tr("storage.unavailable", lang, checked=when), icon=":material/cloud_off:")


def saving_available(lang: Lang) -> bool:
    """Whether uploads, edits and restores can be saved now; if not, editors are told why."""
    if not database_down():
        return True
    st.info(tr("storage.saving_unavailable", lang), icon=":material/cloud_off:")
    return False


def audit_or_nothing() -> list[Version]:
    """The audit log, newest first; nothing while the database cannot be reached."""
    try:
        return store().audit()
    except Unavailable:
        return []
