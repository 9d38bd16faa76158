"""Data: the state of every file for everyone; upload, editing, history and restore for editors;
the editors' accounts for administrators."""

import streamlit as st

from lib.app import data_screen, storage, ui
from lib.contract.i18n import tr

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.data", view, data)
st.caption(tr("admin.intro", view.lang))
data_screen.status(data, view.lang)

st.subheader(tr("admin.downloads", view.lang))
data_screen.downloads(data, data_screen.choose_file(view.lang, "download-file"), view.lang)

# The accounts live where the data does: while the database is away, signing in waits with saving.
if storage.saving_available(view.lang):
    data_screen.sign_in(view.lang)
data_screen.flash()
if ui.signed_in_editor() and not storage.database_down():
    sections = ["admin.upload", "admin.edit", "admin.history", "admin.audit"]
    if data_screen.is_admin():
        sections.append("admin.accounts")
    # The open tab is kept in the session (not only in the browser), so the redraw after a save,
    # which adds its message above, opens the same tab again.
    upload_tab, edit_tab, history_tab, audit_tab, *accounts_tab = st.tabs(
        [tr(k, view.lang) for k in sections], key="data-sections", on_change="rerun"
    )
    with upload_tab:
        data_screen.upload(data, data_screen.choose_file(view.lang, "upload-file"), view.lang)
    with edit_tab:
        data_screen.edit_table(data, data_screen.choose_file(view.lang, "edit-file", tables_only=True), view.lang)
    with history_tab:
        data_screen.history(data, data_screen.choose_file(view.lang, "history-file"), view.lang)
    with audit_tab:
        data_screen.audit(view.lang)
    for tab in accounts_tab:
        with tab:
            data_screen.accounts(view.lang)
