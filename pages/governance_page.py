"""Governance: Party grids and police grids, the mediation centre and police stations, and
disputes mediated by quarter."""

import streamlit as st

from lib.app import ui
from lib.contract.i18n import tr
from lib.drawn import charts

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.governance", view, data)
ui.honesty_note(view.lang)
ui.report_facts(data, view, ("governance",))

map_column, side = st.columns([3, 2])
with map_column:
    st.subheader(tr("governance.grids", view.lang))
    ui.show_map(data, view, height=560, layers=("lake", "rivers", "townships", "patrol_grids", "sites"))
with side:
    if (grids := ui.frame(data, "patrol_grids", view)) is not None:
        ui.table("patrol_grids", grids, view, ["name", "grid_type", "worker_name", "worker_phone"])
    st.subheader(tr("governance.sites", view.lang))
    if (sites := ui.frame(data, "sites", view)) is not None:
        governance_sites = sites[sites["site_type"].isin(["mediation_centre", "police_station"])]
        ui.table("sites", governance_sites, view, ["name", "site_type"])

st.subheader(tr("governance.mediation", view.lang))
if (mediation := ui.frame(data, "mediation", view)) is not None:
    ui.chart(charts.mediation, mediation, view.lang)
