"""Data: the state of every file for everyone; upload, editing, history and restore for editors."""

import streamlit as st

from lib import admin_ui, ui
from lib.i18n import tr

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.data", view)
st.caption(tr("admin.intro", view.lang))
admin_ui.status(data, view.lang)

st.subheader(tr("admin.downloads", view.lang))
admin_ui.downloads(data, admin_ui.choose_file(view.lang, "download-file"), view.lang)

admin_ui.sign_in(view.lang)
if ui.signed_in_editor():
    upload_tab, edit_tab, history_tab, audit_tab = st.tabs(
        [tr(k, view.lang) for k in ("admin.upload", "admin.edit", "admin.history", "admin.audit")]
    )
    with upload_tab:
        admin_ui.upload(data, admin_ui.choose_file(view.lang, "upload-file"), view.lang)
    with edit_tab:
        admin_ui.edit_table(data, admin_ui.choose_file(view.lang, "edit-file", tables_only=True), view.lang)
    with history_tab:
        admin_ui.history(admin_ui.choose_file(view.lang, "history-file"), view.lang)
    with audit_tab:
        admin_ui.audit(view.lang)
