"""Data: the state of every file for everyone; upload, editing, history and restore for editors;
the editors' accounts for administrators."""

import streamlit as st

from lib import admin_ui, ui
from lib.i18n import tr

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.data", view, data)
st.caption(tr("admin.intro", view.lang))
admin_ui.status(data, view.lang)

st.subheader(tr("admin.downloads", view.lang))
admin_ui.downloads(data, admin_ui.choose_file(view.lang, "download-file"), view.lang)

admin_ui.sign_in(view.lang)
admin_ui.flash()
if ui.signed_in_editor():
    sections = ["admin.upload", "admin.edit", "admin.history", "admin.audit"]
    if admin_ui.is_admin():
        sections.append("admin.accounts")
    # Keyed, so the open tab stays open when a save redraws the page above it.
    upload_tab, edit_tab, history_tab, audit_tab, *accounts_tab = st.tabs(
        [tr(k, view.lang) for k in sections], key="data-sections"
    )
    with upload_tab:
        admin_ui.upload(data, admin_ui.choose_file(view.lang, "upload-file"), view.lang)
    with edit_tab:
        admin_ui.edit_table(data, admin_ui.choose_file(view.lang, "edit-file", tables_only=True), view.lang)
    with history_tab:
        admin_ui.history(data, admin_ui.choose_file(view.lang, "history-file"), view.lang)
    with audit_tab:
        admin_ui.audit(view.lang)
    for tab in accounts_tab:
        with tab:
            admin_ui.accounts(view.lang)
