"""Party building: the joint Party organisations, the Party school's sessions, and the
quarterly joint-committee meetings."""

import streamlit as st

from lib.app import ui
from lib.contract.i18n import tr
from lib.drawn import charts

data, view = ui.load_data(), ui.current_view()
ui.page_title("page.party", view, data)
ui.honesty_note(view.lang)
ui.report_facts(data, view, ("organisation", "culture"))

st.subheader(tr("party.organisations", view.lang))
if (organisations := ui.frame(data, "party_organisations", view)) is not None:
    ui.table("party_organisations", organisations, view, ["name", "township_ids", "members", "since_quarter", "source"])

st.subheader(tr("party.school", view.lang))
st.caption(tr("party.school_note", view.lang))
if (school := ui.frame(data, "party_school", view)) is not None:
    chart_column, table_column = st.columns([3, 2])
    with chart_column:
        ui.chart(charts.school_attendance, school, view.lang)
    with table_column:
        ui.table("party_school", school, view, ["date", "activity_type", "title", "attendance"])

st.subheader(tr("party.meetings", view.lang))
if (meetings := ui.frame(data, "joint_meetings", view)) is not None:
    ui.table(
        "joint_meetings",
        meetings.sort_values("quarter", ascending=False),
        view,
        ["quarter", "date", "chair_township_id", "topic", "source"],
    )
