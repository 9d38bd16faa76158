"""Industry and jobs: output and employment by quarter, industry and township; the alliance
bases and the wood-processing firms. Choosing an industry, or selecting bars of a chart,
highlights its bases on the map and narrows the tables."""

import streamlit as st

from lib.app import ui
from lib.contract.catalog import MEASURES
from lib.contract.i18n import tr
from lib.drawn import charts

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.industry", view, data)
ui.honesty_note(view.lang)
ui.report_facts(data, view, ("industry",))
industry = ui.industry_choice(view)

for column, measure in zip(st.columns(len(MEASURES)), MEASURES.values(), strict=True):
    with column:
        if (rows := ui.frame(data, measure.dataset, view)) is not None:
            ui.chart(charts.by_quarter, rows, measure.key, view.lang, key=f"{measure.key}-by-quarter")
            if view.quarter:
                ui.chart(
                    charts.by_township, rows, measure.key, view.quarter, view.lang, key=f"{measure.key}-by-township"
                )
st.caption(tr("chart.illustrative_note", view.lang) + " · " + tr("chart.reported_marker", view.lang))

map_column, tables_column = st.columns([3, 2])
with map_column:
    ui.show_map(
        data, view, height=560, layers=("lake", "rivers", "townships", "industry_bases", "sites"), industry=industry
    )
with tables_column:
    st.subheader(tr("industry.bases", view.lang))
    if (bases := ui.frame(data, "industry_bases", view)) is not None:
        bases = bases if industry is None else bases[bases["industry"] == industry]
        ui.table("industry_bases", bases, view, ["name", "industry", "jobs", "area_mu"])
    st.subheader(tr("industry.enterprises", view.lang))
    st.caption(tr("industry.enterprises_note", view.lang))
    if (sites := ui.frame(data, "sites", view)) is not None:
        ui.table("sites", sites[sites["site_type"] == "wood_enterprise"], view, ["name", "township_id"])
