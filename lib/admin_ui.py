"""The Streamlit side of the data page: sign-in, and the blocks staff use to keep the data.

Every save goes through ``lib.store`` (atomic, versioned, refused on conflict) after the same
checks the dashboard makes when it reads the file.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib import ui
from lib.admin import (
    file_download,
    file_status,
    next_quarter_rows,
    read_raw_table,
    save_failure,
    table_csv,
    template,
)
from lib.auth import SignInGuard, editors_file, read_editors, verify
from lib.catalog import DATASETS, VOCABULARIES, Dataset, Kind, Lang, Table
from lib.changes import Changes, compare
from lib.i18n import tr
from lib.literal import markdown_literal
from lib.loading import Data, Loaded, decode, parse_layer, parse_table
from lib.mapping import build_map
from lib.problems import Problem, Severity
from lib.store import Conflict, DataStore
from lib.uploads import MAX_UPLOAD_BYTES, read_upload


@st.cache_resource
def _guard() -> SignInGuard:
    return SignInGuard()


def store() -> DataStore:
    """The versioned store of the data folder the dashboard shows."""
    return DataStore(ui.data_folder())


def sign_in(lang: Lang) -> None:
    """The sign-in form for editors, or who is signed in and a way out."""
    if name := ui.signed_in_editor():
        st.success(tr("admin.signed_in_as", lang, name=name))
        if st.button(tr("admin.sign_out", lang, name=name), key="sign-out"):
            del st.session_state[ui.EDITOR]
            st.rerun()
        return
    editors = read_editors(editors_file())
    with st.form("sign-in"):
        st.subheader(tr("admin.sign_in", lang))
        name = st.text_input(tr("admin.name", lang), key="sign-in-name")
        password = st.text_input(tr("admin.password", lang), type="password", key="sign-in-password")
        submitted = st.form_submit_button(tr("admin.sign_in_button", lang))
    if not editors:
        st.caption(tr("admin.no_editors", lang))
    if not submitted:
        return
    if (wait := _guard().wait(name)) > 0:
        st.error(tr("admin.wait", lang, seconds=wait))
        return
    accepted = verify(editors, name, password)
    _guard().record(name, accepted)
    if accepted:
        st.session_state[ui.EDITOR] = name
        st.rerun()
    st.error(tr("admin.wrong_password", lang))


def status(data: Data, lang: Lang) -> None:
    """Every file's state, and every problem named by file, row, field and value."""
    st.table(file_status(data, store(), lang).set_index(tr("admin.file", lang)))
    st.subheader(tr("admin.problems", lang))
    if not data.problems:
        st.success(tr("admin.no_problems", lang))
    for problem in data.problems:
        (st.error if problem.severity == Severity.ERROR else st.warning)(problem.markdown(lang))


def choose_file(lang: Lang, key: str, tables_only: bool = False) -> Dataset:
    """A file of the contract (or a table), chosen by the user."""
    chosen = st.selectbox(
        tr("admin.choose_file", lang),
        [k for k, d in DATASETS.items() if not (tables_only and d.is_layer)],
        format_func=lambda k: f"{DATASETS[k].path} · {DATASETS[k].title(lang)}",
        key=key,
    )
    return DATASETS[chosen]


def downloads(data: Data, dataset: Dataset, lang: Lang) -> None:
    """The file (a table made safe to open in Excel), and for tables an empty template with an example row."""
    path = ui.data_folder() / dataset.path
    name = dataset.path.split("/")[-1]
    if path.exists():
        content = file_download(dataset, path.read_bytes())
        st.download_button(tr("admin.download_file", lang, file=name), content, name, key=f"dl:{name}")
    if isinstance(dataset, Table):
        st.download_button(
            tr("admin.download_template", lang, file=name),
            template(dataset, data.frame(dataset.key)),
            f"template-{name}",
            mime="text/csv",
            key=f"tpl:{name}",
        )


def upload(data: Data, dataset: Dataset, lang: Lang) -> None:
    """Upload a replacement: checks, a preview of the change, then a save that keeps the old one."""
    base = f"base:{dataset.path}"
    types = ["csv", "xlsx"] if isinstance(dataset, Table) else ["geojson", "json", "zip"]
    uploaded = st.file_uploader(
        tr("admin.upload", lang),
        type=types,
        help=tr("admin.upload_help", lang),
        max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
        key=f"upload:{dataset.path}",
        on_change=lambda: st.session_state.update({base: store().token(dataset.path)}),
    )
    if uploaded is None:
        return
    result = read_upload(dataset, uploaded.name, uploaded.getvalue())
    _check_and_save(data, dataset, result.content, result.frame, result.problems, lang, base, f"up:{dataset.path}")


def edit_table(data: Data, table: Table, lang: Lang) -> None:
    """Edit a table in the page, with the contract's rules on every column."""
    draft_key, base = f"draft:{table.path}", f"base:edit:{table.path}"
    if draft_key not in st.session_state:
        path = ui.data_folder() / table.path
        st.session_state[draft_key] = read_raw_table(table, path.read_bytes() if path.exists() else None)
        st.session_state[base] = store().token(table.path)
    if "quarter" in st.session_state[draft_key] and st.button(tr("admin.add_quarter", lang), key=f"q:{table.path}"):
        st.session_state[draft_key] = next_quarter_rows(st.session_state[draft_key])
    edited = st.data_editor(
        st.session_state[draft_key],
        column_config=_column_config(table, lang),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"editor:{table.path}:{len(st.session_state[draft_key])}",
    )
    content = table_csv(edited)
    result = read_upload(table, table.path, content)
    if _check_and_save(data, table, result.content, result.frame, result.problems, lang, base, f"ed:{table.path}"):
        del st.session_state[draft_key]


def _check_and_save(
    data: Data,
    dataset: Dataset,
    content: bytes | None,
    frame: pd.DataFrame | None,
    problems: list[Problem],
    lang: Lang,
    base: str,
    key: str,
) -> bool:
    errors = [p for p in problems if p.severity == Severity.ERROR]
    for problem in problems:
        (st.error if problem in errors else st.warning)(problem.markdown(lang))
    if errors or content is None or frame is None:
        st.error(tr("admin.refused", lang))
        return False
    changes = compare(dataset, data.frame(dataset.key), frame)
    if changes.empty:
        st.info(tr("admin.no_changes", lang))
        return False
    st.info(tr("admin.changes", lang, summary=changes.summary(lang)))
    st.table(_changes_table(changes, lang))
    if dataset.is_layer:
        preview = build_map(_only(dataset, frame), lang, layers=(dataset.key,))
        st_folium(preview, height=320, use_container_width=True, returned_objects=[], key=f"preview:{key}")
    accepted = not problems or st.checkbox(tr("admin.accept_warnings", lang), key=f"accept:{key}")
    if not st.button(tr("admin.save", lang), type="primary", disabled=not accepted, key=f"save:{key}"):
        return False
    try:
        store().save(
            dataset.path,
            content,
            user=ui.signed_in_editor() or "?",
            summary=changes.summary(lang),
            expected=st.session_state.get(base, store().token(dataset.path)),
        )
    except Conflict:
        st.error(tr("admin.conflict", lang, file=dataset.path))
        mine = file_download(dataset, content)
        st.download_button(tr("admin.download_mine", lang), mine, dataset.path.split("/")[-1], key=f"mine:{key}")
        return False
    except OSError as error:
        st.error(save_failure(error, dataset.path, lang))
        return False
    st.session_state[base] = store().token(dataset.path)
    st.cache_data.clear()
    st.success(tr("admin.saved", lang, file=dataset.path))
    return True


def _changes_table(changes: Changes, lang: Lang, limit: int = 50) -> pd.DataFrame:
    # st.table reads Markdown in its cells; the records' keys come from the upload.
    rows = [(tr("admin.added", lang), markdown_literal(key), "") for key in changes.added]
    rows += [(tr("admin.removed", lang), markdown_literal(key), "") for key in changes.removed]
    rows += [(tr("admin.changed", lang), markdown_literal(key), ", ".join(fields)) for key, fields in changes.changed]
    columns = [tr("admin.action", lang), tr("admin.record", lang), tr("admin.fields", lang)]
    return pd.DataFrame(rows[:limit], columns=columns)


def _only(dataset: Dataset, frame: pd.DataFrame) -> Data:
    """A data set holding one frame, for a preview map of it alone."""
    return Data(ui.data_folder(), {dataset.key: Loaded(dataset, frame)})


def history(dataset: Dataset, lang: Lang) -> None:
    """The saved versions of a file: view any, restore any."""
    versions = store().history(dataset.path)
    if not versions:
        st.caption(tr("admin.no_history", lang))
        return
    st.table(_versions_table(versions, lang).set_index(tr("admin.when", lang)))
    chosen = st.selectbox(
        tr("admin.version", lang),
        versions,
        format_func=lambda v: (
            f"{v.saved_at.astimezone():%Y-%m-%d %H:%M:%S} · {tr(f'admin.action_{v.action}', lang)} · "
            f"{v.user} · {v.summary}"
        ),
        key=f"version:{dataset.path}",
    )
    old = store().read(dataset.path, chosen.id)
    parsed, _ = (parse_layer if dataset.is_layer else parse_table)(dataset, decode(old))
    if parsed is not None:
        st.dataframe(pd.DataFrame(parsed.drop(columns="geometry", errors="ignore")), hide_index=True, height=240)
    if st.button(tr("admin.restore", lang), key=f"restore:{dataset.path}:{chosen.id}"):
        try:
            store().restore(
                dataset.path, chosen.id, user=ui.signed_in_editor() or "?", expected=store().token(dataset.path)
            )
        except Conflict:
            st.error(tr("admin.conflict", lang, file=dataset.path))
            return
        except OSError as error:
            st.error(save_failure(error, dataset.path, lang))
            return
        st.cache_data.clear()
        st.success(tr("admin.restored", lang, file=dataset.path, version=f"{chosen.saved_at:%Y-%m-%d %H:%M:%S}"))


def audit(lang: Lang) -> None:
    """Every save and restore, newest first."""
    entries = store().audit()
    if entries:
        st.table(_versions_table(entries, lang, with_file=True).set_index(tr("admin.when", lang)))


def _versions_table(versions: list, lang: Lang, with_file: bool = False) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("admin.when", lang): f"{v.saved_at.astimezone():%Y-%m-%d %H:%M:%S}",
                **({tr("admin.file", lang): v.file} if with_file else {}),
                tr("admin.who", lang): v.user,
                tr("admin.action", lang): tr(f"admin.action_{v.action}", lang),
                tr("admin.summary", lang): v.summary,
            }
            for v in versions
        ]
    )


def _column_config(table: Table, lang: Lang) -> dict:
    patterns = {
        Kind.QUARTER: r"^\s*\d{4}\s*-?\s*[Qq][1-4]\s*$",
        Kind.DATE: r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$",
        Kind.INTEGER: r"^\d+$",
        Kind.NUMBER: r"^\d+(\.\d+)?$",
    }
    config = {}
    for field in table.fields:
        if field.kind == Kind.CODE:
            codes = VOCABULARIES[field.vocabulary or ""]
            config[field.name] = st.column_config.SelectboxColumn(
                field.heading(lang),
                options=list(codes),
                required=field.required,
                format_func=lambda code, codes=codes: f"{code} · {codes[code].label(lang)}" if code in codes else code,
            )
        else:
            config[field.name] = st.column_config.TextColumn(
                field.heading(lang), required=field.required, validate=patterns.get(field.kind)
            )
    return config
