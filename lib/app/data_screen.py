"""The Streamlit side of the data page: sign-in, and the blocks staff use to keep the data.

Every save goes through ``lib.files.store`` (atomic, versioned, refused on conflict) after the same
checks the dashboard makes when it reads the file.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib.app import ui
from lib.app.storage import audit_or_nothing, store
from lib.contract.catalog import DATASETS, VOCABULARIES, Dataset, Kind, Lang, Layer, Table, code_label
from lib.contract.i18n import tr
from lib.contract.quarters import quarter_label
from lib.contract.settings import data_dir
from lib.drawn.frames import labelled
from lib.drawn.maps import build_map
from lib.files.changes import Changes, compare, quarter_totals, value_changes
from lib.files.loading import Data, Loaded, decode, parse_layer, parse_table
from lib.files.problems import Problem, Severity
from lib.files.store import Conflict, Version
from lib.staff.editing import (
    XLSX_MIME,
    apply_edits,
    check_grid,
    file_download,
    file_status,
    name_grid_rows,
    new_quarter_rows,
    read_raw_table,
    save_failure,
    suggested_renames,
    table_csv,
    template,
    uploader_style,
    version_summary,
    who,
)
from lib.staff.sign_in import (
    ADMIN,
    MIN_PASSWORD_LENGTH,
    ROLES,
    DatabaseSignInGuard,
    SignInGuard,
    client_address,
    editor_accounts,
    read_editors,
    read_roles,
    remove_editor,
    set_password,
    sign_in_guard,
    verify,
)
from lib.staff.uploads import MAX_UPLOAD_BYTES, Upload, read_upload

FLASH = "data-page-flash"
SAVES = "data-page-saves"
PREVIEW_LIMIT = 200


def _guard() -> SignInGuard | DatabaseSignInGuard:
    return sign_in_guard()


def _address() -> str:
    return client_address(st.context.ip_address, dict(st.context.headers))


def sign_in(lang: Lang) -> None:
    """The sign-in form for editors, or who is signed in and a way out."""
    if name := ui.signed_in_editor():
        st.success(tr("admin.signed_in_as", lang, name=name))
        if st.button(tr("admin.sign_out", lang, name=name), key="sign-out"):
            del st.session_state[ui.EDITOR]
            st.rerun()
        return
    editors = read_editors(editor_accounts())
    with st.form("sign-in"):
        st.subheader(tr("admin.sign_in", lang))
        name = st.text_input(tr("admin.name", lang), key="sign-in-name")
        password = st.text_input(tr("admin.password", lang), type="password", key="sign-in-password")
        submitted = st.form_submit_button(tr("admin.sign_in_button", lang))
    if not editors:
        st.caption(tr("admin.no_editors", lang))
    if not submitted:
        return
    if (wait := _guard().wait(name, _address())) > 0:
        st.error(tr("admin.wait", lang, seconds=wait))
        return
    accepted = verify(editors, name, password)
    _guard().record(name, _address(), accepted)
    if accepted:
        st.session_state[ui.EDITOR] = name
        st.rerun()
    st.error(tr("admin.wrong_password", lang))


def status(data: Data, lang: Lang) -> None:
    """Every file's state, and every problem named by file, row, field and value."""
    st.table(file_status(data, audit_or_nothing(), lang).set_index(tr("admin.file", lang)))
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
    """The file (a table made safe to open in Excel), and for tables an Excel template."""
    path = data_dir() / dataset.path
    name = dataset.path.split("/")[-1]
    if path.exists():
        content = file_download(dataset, path.read_bytes(), reveal_personal=ui.signed_in_editor() is not None)
        st.download_button(
            tr("admin.download_file", lang, file=name), content, name, key=f"dl:{name}", on_click="ignore"
        )
    if isinstance(dataset, Table):
        st.download_button(
            tr("admin.download_template", lang, file=name),
            template(dataset, lang),
            f"template-{name.removesuffix('.csv')}.xlsx",
            mime=XLSX_MIME,
            key=f"tpl:{name}",
            on_click="ignore",
        )
        st.caption(tr("admin.template_note", lang))


def flash() -> None:
    """What the last save, restore or account change did, said once after the page redrew."""
    if message := st.session_state.pop(FLASH, None):
        st.success(message)


def _done(message: str) -> None:
    """Redraw the whole page at once, so every table, count and preview shows the change (every
    cache is keyed by the files' signature, which the change has changed)."""
    st.session_state[FLASH] = message
    st.rerun()


def upload(data: Data, dataset: Dataset, lang: Lang) -> None:
    """Upload a replacement: checks, a preview of the change, then a save that keeps the old one."""
    base = f"base:{dataset.path}"
    st.html(uploader_style(lang))
    uploaded = st.file_uploader(
        tr("admin.upload", lang),
        # Any file is taken, and its content decides: a refusal then names the types
        # accepted in the clerk's language, not in the uploader's English tooltip.
        type=None,
        help=tr("admin.upload_help", lang),
        max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
        # A new key after each save empties the uploader: its file is the current one now.
        key=f"upload:{dataset.path}:{st.session_state.get(SAVES, 0)}",
        on_change=lambda: st.session_state.update({base: store().token(dataset.path)}),
    )
    if uploaded is None:
        return
    key = f"{dataset.path}:{uploaded.file_id}"
    gcj02 = isinstance(dataset, Layer) and st.checkbox(
        tr("admin.gcj02", lang), help=tr("admin.gcj02_help", lang), key=f"gcj02:{key}"
    )
    result = read_upload(dataset, uploaded.name, uploaded.getvalue(), gcj02=gcj02)
    renames = _field_names(dataset, result, lang, key) if isinstance(dataset, Layer) else {}
    if renames:
        result = read_upload(dataset, uploaded.name, uploaded.getvalue(), renames, gcj02)
    if result.reprojected is not None:
        st.info(" ".join(result.reprojected.sentences(lang)))
    if result.repaired is not None:
        name = dataset.path.split("/")[-1]
        st.download_button(
            tr("admin.download_repaired", lang), result.repaired, name, key=f"mended:{dataset.path}", on_click="ignore"
        )
    changes = _check(data, dataset, result.frame, result.problems, lang, f"up:{dataset.path}")
    if changes is None or result.content is None:
        return
    accepted = not result.problems or st.checkbox(tr("admin.accept_warnings", lang), key=f"accept:up:{dataset.path}")
    if st.button(tr("admin.save", lang), type="primary", disabled=not accepted, key=f"save:up:{dataset.path}"):
        if renames:
            store().remember_renames(dataset.path, renames)
        _save(
            dataset,
            result.content,
            changes,
            lang,
            st.session_state.get(base) or store().token(dataset.path),
            f"up:{dataset.path}",
        )


def _field_names(layer: Layer, upload: Upload, lang: Lang, key: str) -> dict[str, str]:
    """Where a layer's file names its attributes otherwise than the contract (XZQMC for
    name_zh), the editor says which is which; offered as for the file's last upload."""
    if not (upload.unmatched and upload.missing):
        return {}
    st.markdown(tr("admin.match_fields", lang))
    suggested = suggested_renames(layer, upload, store().renames(layer.path))
    options: list[str | None] = [None, *upload.unmatched]

    def shown(column: str | None) -> str:
        if column is None:
            return tr("admin.no_column", lang)
        sample = upload.samples.get(column, "")
        return tr("admin.column_sample", lang, column=column, sample=sample[:30]) if sample else column

    chosen = {}
    for name in upload.missing:
        default = next((column for column, field in suggested.items() if field == name), None)
        column = st.selectbox(
            tr("problem.column", lang, heading=layer.field(name).heading(lang), name=name),
            options,
            index=options.index(default),
            format_func=shown,
            key=f"rename:{key}:{name}",
        )
        if column is not None:
            chosen[column] = name
    return chosen


@dataclass
class _Draft:
    """A table being edited in the page, kept in the session until it is saved or discarded:
    the rows of the file and the new quarter's rows, as text cells, and what was typed into
    its grids since they were last merged."""

    rows: pd.DataFrame
    added: pd.DataFrame
    base: str  # the file's token when editing began, to refuse a save over someone else's
    source: str = "statistics"  # of every new row
    version: int = 0  # part of the grids' keys: a new one starts them from the merged draft
    checked: bool = False  # once asked, the check and preview stay shown
    intent: str | None = None  # "check" or "save", for the run after a button of the grids
    previewed: bytes | None = None  # the content last previewed; only that may be saved
    # The grids' edits (``st.data_editor``'s state) as of the last keystroke committed, by
    # grid: Streamlit forgets a widget's state after a run that does not draw it (another
    # table chosen), and these bring what was typed back when it is drawn again.
    typed: dict[str, Any] = dataclasses.field(default_factory=dict)

    def cells(self) -> pd.DataFrame:
        if self.added.empty:
            return self.rows
        added = self.added.assign(source=self.source) if "source" in self.added else self.added
        return pd.concat([self.rows, added], ignore_index=True)


def edit_table(data: Data, table: Table, lang: Lang) -> None:
    """Edit a table in the page: a quarter's new rows in a grid of their own, checked and
    previewed value by value only when asked, saved only as previewed."""
    _note_typed()
    draft = _draft(table)
    _bring_back(draft, table)
    st.caption(tr("admin.edit_intro", lang))
    if "quarter" in draft.rows and draft.added.empty:
        upcoming = new_quarter_rows(table, draft.rows)
        if not upcoming.empty and st.button(
            tr("admin.add_quarter_named", lang, quarter=quarter_label(upcoming["quarter"].iloc[0], lang)),
            icon=":material/add_row_below:",
            key=f"q:{table.path}",
        ):
            _fold(draft, table)
            draft.added, draft.version = upcoming.replace("", None), _next_version()
            st.rerun()
    grids = _grids(draft, table)
    if not draft.added.empty:
        quarter = quarter_label(str(draft.added["quarter"].iloc[0]), lang)
        st.markdown(f"**{tr('admin.new_rows', lang, quarter=quarter)}**")
    # What the grids held when a button below was last pressed (merged before this run).
    cells = draft.cells()
    content = table_csv(cells)
    result = check_grid(table, cells) if draft.checked else None
    checked = result if result is not None and result.savable and result.frame is not None else None
    changes = compare(table, data.frame(table.key), checked.frame) if checked else None
    changed = changes is not None and not changes.empty
    if (
        checked
        and checked.content
        and changes is not None
        and changed
        and draft.intent == "save"
        and draft.previewed == content
    ):
        _save(table, checked.content, changes, lang, draft.base, f"ed:{table.path}")  # redraws the page if saved
    # A committed cell reruns nothing ("ignore": no rerun can close a cell being typed into),
    # and reaches the session with the next rerun, whatever causes it; each run notes it in the
    # draft. The grids' data and keys stay the same until a button merges them, so a rerun
    # leaves their edits as they are.
    if not draft.added.empty:
        st.data_editor(
            draft.added,
            column_config=_column_config(table, lang),
            column_order=[f.name for f in table.fields if f.name not in ("source", "reported_as")],
            disabled=list(table.unique),
            hide_index=True,
            width="stretch",
            placeholder=tr("admin.to_fill", lang),
            key=f"new:{grids}",
            on_change="ignore",
        )
        st.caption(tr("admin.empty_note", lang))
        if "source" in draft.added:
            codes = list(VOCABULARIES["source"])
            st.selectbox(
                tr("admin.new_source", lang),
                codes,
                index=codes.index(draft.source),
                format_func=lambda code: code_label("source", code, lang),
                key=f"new-source:{grids}",
                on_change="ignore",
            )
    with st.expander(tr("admin.existing_rows", lang, n=len(draft.rows)), expanded=draft.added.empty):
        st.data_editor(
            draft.rows,
            column_config=_column_config(table, lang),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"rows:{grids}",
            on_change="ignore",
        )
    if result is not None:
        # The check and the preview sit between the grids and the buttons, where the clerk looks.
        problems = name_grid_rows(result.problems, table, cells, lang)
        _check(data, table, result.frame, problems, lang, f"ed:{table.path}")
        if draft.intent == "save" and draft.previewed != content and changed:
            st.warning(tr("admin.review_first", lang))
    check, save = st.columns(2)
    check.button(
        tr("admin.check", lang),
        icon=":material/fact_check:",
        key=f"check:{table.path}",
        on_click=_merge,
        args=(table, "check"),
    )
    save.button(tr("admin.save", lang), type="primary", key=f"save:{table.path}", on_click=_merge, args=(table, "save"))
    draft.previewed = content if changed else None
    draft.intent = None
    if st.button(tr("admin.discard", lang), key=f"discard:{table.path}"):
        del st.session_state[f"draft:{table.path}"]
        st.session_state[FLASH] = tr("admin.discarded", lang)
        st.rerun()


DRAFT_VERSIONS = "data-page-grid-versions"


def _next_version() -> int:
    """A number no grid of this session has had: a draft begun again (after a save or a
    discard) must not meet the edits of an earlier one's grids still in the session."""
    st.session_state[DRAFT_VERSIONS] = st.session_state.get(DRAFT_VERSIONS, 0) + 1
    return st.session_state[DRAFT_VERSIONS]


def _grids(draft: _Draft, table: Table) -> str:
    return f"{table.path}:{draft.version}"


def _draft(table: Table) -> _Draft:
    key = f"draft:{table.path}"
    if key not in st.session_state:
        path = data_dir() / table.path
        rows = read_raw_table(table, path.read_bytes() if path.exists() else None)
        st.session_state[key] = _Draft(rows, rows.iloc[0:0].copy(), store().token(table.path), version=_next_version())
    return st.session_state[key]


GRIDS = ("new", "rows", "new-source")  # the widgets of a draft, by the start of their keys


def _note_typed() -> None:
    """Note in every draft what its grids held when this run began (the grids of a table no
    longer chosen included: this run will not draw them, and Streamlit forgets them after it)."""
    for name, draft in list(st.session_state.items()):
        if isinstance(name, str) and name.startswith("draft:") and isinstance(draft, _Draft):
            grids = f"{name.removeprefix('draft:')}:{draft.version}"
            for grid in GRIDS:
                if (value := st.session_state.get(f"{grid}:{grids}")) is not None:
                    draft.typed[grid] = copy.deepcopy(value)


def _bring_back(draft: _Draft, table: Table) -> None:
    """Where the grids were not drawn in the last run (another table was open), Streamlit has
    forgotten their edits: fold what the draft noted of them into it, for grids drawn anew."""
    grids = _grids(draft, table)
    if draft.typed and not any(f"{name}:{grids}" in st.session_state for name in GRIDS):
        _fold(draft, table, draft.typed)
        draft.version = _next_version()


def _fold(draft: _Draft, table: Table, edits: Mapping[str, Any] | None = None) -> None:
    """Merge the grids' edits (``edits`` by grid, else the grids' state in the session) into
    the draft."""
    grids = _grids(draft, table)
    typed = edits if edits is not None else {n: st.session_state.get(f"{n}:{grids}") for n in GRIDS}
    draft.rows = apply_edits(draft.rows, typed.get("rows") or {})
    if not draft.added.empty:
        draft.added = apply_edits(draft.added, typed.get("new") or {}).replace("", None)
        draft.source = typed.get("new-source") or draft.source
    draft.typed = {}


def _merge(table: Table, intent: str) -> None:
    """Fold what was typed in the grids into the draft, and note whether the clerk asked to
    check or to save (the buttons' callback, run before the page)."""
    draft = _draft(table)
    _fold(draft, table)
    draft.version = _next_version()
    draft.checked, draft.intent = True, intent


def _check(
    data: Data, dataset: Dataset, frame: pd.DataFrame | None, problems: list[Problem], lang: Lang, key: str
) -> Changes | None:
    """The problems of a replacement and, if it may be saved, every value it changes; None
    when it cannot be saved or changes nothing."""
    errors = [p for p in problems if p.severity == Severity.ERROR]
    for problem in problems:
        (st.error if problem in errors else st.warning)(problem.markdown(lang))
    if errors or frame is None:
        st.error(tr("admin.refused", lang))
        return None
    current = data.frame(dataset.key)
    changes = compare(dataset, current, frame)
    if changes.empty:
        st.info(tr("admin.no_changes", lang))
        return None
    st.info(tr("admin.changes", lang, summary=changes.summary(lang)))
    values = value_changes(dataset, current, frame, lang)
    st.markdown(f"**{tr('admin.values_title', lang)}**")
    # st.dataframe shows text as it is (no Markdown): the values come from the upload.
    st.dataframe(values.head(PREVIEW_LIMIT), hide_index=True, width="stretch")
    if len(values) > PREVIEW_LIMIT:
        st.caption(tr("admin.more_values", lang, n=len(values) - PREVIEW_LIMIT))
    totals = quarter_totals(dataset, current, frame, lang)
    if not totals.empty:
        st.markdown(f"**{tr('admin.totals_title', lang)}**")
        st.dataframe(totals, hide_index=True, width="stretch")
    if dataset.is_layer:
        preview = build_map(_only(dataset, frame), lang, layers=(dataset.key,))
        st_folium(preview, height=320, use_container_width=True, returned_objects=[], key=f"preview:{key}")
    return changes


def _save(dataset: Dataset, content: bytes, changes: Changes, lang: Lang, expected: str, key: str) -> None:
    """Save a checked replacement if the file is still as ``expected`` (its token when the
    editor started from it); on success the page redraws with it."""
    try:
        store().save(
            dataset.path,
            content,
            user=ui.signed_in_editor() or "?",
            summary=changes.summary(lang),
            expected=expected,
            details={"counts": changes.counts},
        )
    except Conflict:
        st.error(tr("admin.conflict", lang, file=dataset.path))
        mine = file_download(dataset, content, reveal_personal=True)  # an editor's own version
        st.download_button(
            tr("admin.download_mine", lang), mine, dataset.path.split("/")[-1], key=f"mine:{key}", on_click="ignore"
        )
        return
    except OSError as error:
        st.error(save_failure(error, dataset.path, lang))
        return
    st.session_state.pop(f"draft:{dataset.path}", None)
    st.session_state[SAVES] = st.session_state.get(SAVES, 0) + 1
    _done(tr("admin.saved", lang, file=dataset.path) + " " + changes.summary(lang))


def _only(dataset: Dataset, frame: pd.DataFrame) -> Data:
    """A data set holding one frame, for a preview map of it alone."""
    return Data(data_dir(), {dataset.key: Loaded(dataset, frame)})


def history(data: Data, dataset: Dataset, lang: Lang) -> None:
    """The saved versions of a file: view any; restore any, after saying what it will change."""
    versions = store().history(dataset.path)
    if not versions:
        st.caption(tr("admin.no_history", lang))
        return
    numbers = {v.id: len(versions) - i for i, v in enumerate(versions)}
    st.dataframe(_versions_table(versions, lang), hide_index=True, width="stretch")

    def label(version: Version) -> str:
        return f"#{numbers[version.id]} · {_when(version)}"

    chosen = st.selectbox(
        tr("admin.version", lang),
        versions,
        format_func=lambda v: (
            f"{label(v)} · {who(v, lang)} · {tr(f'admin.action_{v.action}', lang)} · "
            f"{version_summary(v, lang, numbers)}"
        ),
        key=f"version:{dataset.path}",
    )
    old = store().read(dataset.path, chosen.id)
    text = decode(old)
    parsed, _ = parse_layer(dataset, text) if isinstance(dataset, Layer) else parse_table(cast(Table, dataset), text)
    if parsed is not None:
        shown = labelled(dataset, parsed, lang, [f.name for f in dataset.fields], reveal_personal=True)
        st.dataframe(shown, hide_index=True, height=240)
    confirming = f"confirm-restore:{dataset.path}"
    if st.session_state.get(confirming) != chosen.id:
        if st.button(tr("admin.restore", lang), icon=":material/history:", key=f"restore:{dataset.path}:{chosen.id}"):
            st.session_state[confirming] = chosen.id
            st.rerun()
        return
    current = data.frame(dataset.key)
    summary = compare(dataset, current, parsed).summary(lang) if parsed is not None else "—"
    st.warning(
        tr("admin.restore_confirm", lang, file=dataset.path, when=label(chosen), who=who(chosen, lang), summary=summary)
    )
    yes, no = st.columns(2)
    if no.button(tr("admin.cancel", lang), key=f"restore-no:{dataset.path}"):
        del st.session_state[confirming]
        st.rerun()
    if not yes.button(tr("admin.restore_yes", lang), type="primary", key=f"restore-yes:{dataset.path}"):
        return
    del st.session_state[confirming]
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
    st.session_state.pop(f"draft:{dataset.path}", None)
    _done(tr("admin.restored", lang, file=dataset.path, version=label(chosen)))


def audit(lang: Lang) -> None:
    """Every save and restore, newest first."""
    entries = store().audit()
    if entries:
        st.dataframe(_versions_table(entries, lang, with_file=True), hide_index=True, width="stretch")


def _when(version: Version) -> str:
    return f"{version.saved_at.astimezone():%Y-%m-%d %H:%M:%S}"


def _versions_table(versions: list[Version], lang: Lang, with_file: bool = False) -> pd.DataFrame:
    """Versions newest first, each told apart by its number (per file), second, author and change."""
    counts: dict[str, int] = {}
    for version in versions:
        counts[version.file] = counts.get(version.file, 0) + 1
    numbers = {}
    for version in versions:
        numbers[version.id] = counts[version.file]
        counts[version.file] -= 1
    rows = [
        {
            tr("admin.number", lang): f"#{numbers[version.id]}",
            tr("admin.when", lang): _when(version),
            **({tr("admin.file", lang): version.file} if with_file else {}),
            tr("admin.who", lang): who(version, lang),
            tr("admin.action", lang): tr(f"admin.action_{version.action}", lang),
            tr("admin.summary", lang): version_summary(version, lang, numbers),
        }
        for version in versions
    ]
    return pd.DataFrame(rows)


def accounts(lang: Lang) -> None:
    """For administrators: the editors and their roles; add one, change a password, remove one."""
    path, me = editor_accounts(), ui.signed_in_editor()
    st.caption(tr("admin.accounts_intro", lang))
    roles = read_roles(path)
    st.dataframe(
        pd.DataFrame(
            {
                tr("admin.name", lang): list(roles),
                tr("admin.role", lang): [tr(f"admin.role_{r}", lang) for r in roles.values()],
            }
        ),
        hide_index=True,
    )
    with st.form("add-account", clear_on_submit=True):
        st.markdown(f"**{tr('admin.add_account', lang)}**")
        name = st.text_input(tr("admin.name", lang), key="account-name")
        password = st.text_input(tr("admin.password", lang), type="password", key="account-password")
        again = st.text_input(tr("admin.password_again", lang), type="password", key="account-again")
        role = st.radio(
            tr("admin.role", lang), ROLES, format_func=lambda r: tr(f"admin.role_{r}", lang), horizontal=True
        )
        submitted = st.form_submit_button(tr("admin.save_account", lang))
    if submitted:
        if not name.strip():
            st.error(tr("admin.name_empty", lang))
        elif password != again:
            st.error(tr("admin.passwords_differ", lang))
        elif len(password) < MIN_PASSWORD_LENGTH:
            st.error(tr("admin.password_short", lang, n=MIN_PASSWORD_LENGTH))
        else:
            set_password(path, name, password, role=role)
            _done(tr("admin.account_saved", lang, name=name.strip(), role=tr(f"admin.role_{role}", lang)))
    others = [n for n in roles if n != me]
    if not others:
        return
    st.markdown(f"**{tr('admin.remove_account', lang)}**")
    gone = st.selectbox(
        tr("admin.name", lang), others, index=None, placeholder=tr("admin.choose_account", lang), key="account-remove"
    )
    if gone and st.button(tr("admin.remove_button", lang), key="account-remove-button"):
        remove_editor(path, gone)
        _done(tr("admin.account_removed", lang, name=gone))


def is_admin() -> bool:
    """Whether the signed-in editor may manage the editors (read afresh: a removed role ends at once)."""
    name = ui.signed_in_editor()
    return name is not None and read_roles(editor_accounts()).get(name) == ADMIN


def _code_choice(codes: Mapping[str, Any], lang: Lang, code: str) -> str:
    """A code as the grid offers it: the code and its label."""
    return f"{code} · {codes[code].label(lang)}" if code in codes else code


def _column_config(table: Table, lang: Lang) -> dict:
    # No checks of the grid's own: the loader's rules alone decide, when the clerk asks.
    config = {}
    for field in table.fields:
        if field.kind == Kind.CODE:
            codes = VOCABULARIES[field.vocabulary or ""]
            config[field.name] = st.column_config.SelectboxColumn(
                field.heading(lang),
                help=field.name,
                options=list(codes),
                format_func=partial(_code_choice, codes, lang),
            )
        else:
            config[field.name] = st.column_config.TextColumn(field.heading(lang), help=field.name)
    return config
