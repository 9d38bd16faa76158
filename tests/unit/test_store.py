"""Saving data files through the app: every save is whole, refused when it would overwrite
someone else's edit, and kept as a version that can be read and restored. The tests named
with ``store`` run on both kinds of storage: the data folder and a PostgreSQL database (each
host's folder its mirror), but those marked ``FOLDER_ONLY``."""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from filelock import FileLock

import lib.files.store
from lib.contract.catalog import DATASETS
from lib.contract.settings import ROOT
from lib.files.database import DatabaseStore, Unavailable
from lib.files.store import Busy, Conflict, DataStore, Store
from lib.serving.postgres import throwaway_cluster
from lib.staff.editing import save_failure

ORIGINAL = "id,name\n1,三江口\n".encode()
FILE = "tables/output.csv"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A data folder with one file that was never saved through the app."""
    target = tmp_path / "data" / FILE
    target.parent.mkdir(parents=True)
    target.write_bytes(ORIGINAL)
    return tmp_path / "data"


def _open(folder: Path, url: str) -> Store:
    return DatabaseStore(url, folder) if url else DataStore(folder)


@pytest.fixture(params=["folder", "database"])
def backend(request) -> str:
    """ "" for the data folder, else the address of a new database."""
    return request.getfixturevalue("database_url") if request.param == "database" else ""


@pytest.fixture
def store(folder: Path, backend: str) -> Store:
    return _open(folder, backend)


# About the data folder's own files (temporary files, modes, the audit log's lines).
FOLDER_ONLY = pytest.mark.parametrize("backend", [""], ids=["folder"])


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp")]


def test_token_is_the_sha256_of_the_file_or_empty(store):
    assert store.token(FILE) == hashlib.sha256(ORIGINAL).hexdigest()
    assert store.token("tables/absent.csv") == ""


def test_first_save_keeps_the_content_found_as_initial(store, folder):
    version = store.save(FILE, b"id\n2\n", user="张三", summary="+1 row", expected=store.token(FILE))
    assert (folder / FILE).read_bytes() == b"id\n2\n"
    assert (version.file, version.user, version.action, version.summary, version.size) == (
        FILE,
        "张三",
        "save",
        "+1 row",
        5,
    )
    assert version.saved_at.tzinfo is not None
    saved, initial = store.history(FILE)
    assert saved == version
    assert (initial.action, initial.user) == ("initial", lib.files.store.SYSTEM_USER)
    assert store.read(FILE, initial.id) == ORIGINAL
    assert store.read(FILE, saved.id) == b"id\n2\n"
    assert initial.id < saved.id


def test_new_file_has_no_initial_version(store, folder):
    version = store.save("tables/new.csv", b"a\n", user="u", summary="new", expected="")
    assert (folder / "tables/new.csv").read_bytes() == b"a\n"
    assert store.history("tables/new.csv") == [version]


def test_content_changed_outside_the_app_is_kept_before_the_next_save(store, folder):
    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    (folder / FILE).write_bytes(b"copied in by hand\n")
    store.save(FILE, b"v2\n", user="u", summary="s", expected=store.token(FILE))
    actions = [(v.action, store.read(FILE, v.id)) for v in store.history(FILE)]
    assert actions == [("save", b"v2\n"), ("initial", b"copied in by hand\n"), ("save", b"v1\n"), ("initial", ORIGINAL)]


def test_second_editor_from_the_same_version_gets_conflict(store, folder):
    start = store.token(FILE)
    first = store.save(FILE, b"first\n", user="a", summary="s", expected=start)
    with pytest.raises(Conflict) as caught:
        store.save(FILE, b"second\n", user="b", summary="s", expected=start)
    assert (caught.value.relative, caught.value.expected) == (FILE, start)
    assert caught.value.current == store.token(FILE) == hashlib.sha256(b"first\n").hexdigest()
    assert (folder / FILE).read_bytes() == b"first\n"
    assert store.history(FILE)[0] == first
    assert len(store.audit()) == 2


def test_save_expecting_a_new_file_conflicts_when_it_exists(store):
    with pytest.raises(Conflict):
        store.save(FILE, b"x", user="u", summary="s", expected="")
    assert store.audit() == []


def test_concurrent_threads_from_one_version_save_exactly_once(store, folder):
    start, barrier, results = store.token(FILE), threading.Barrier(8), {}

    def edit(n: int) -> None:
        barrier.wait()
        try:
            results[n] = store.save(FILE, f"editor {n}\n".encode(), user=f"u{n}", summary="s", expected=start)
        except Conflict as error:
            results[n] = error

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [n for n, result in results.items() if not isinstance(result, Conflict)]
    assert len(winners) == 1
    assert (folder / FILE).read_bytes() == f"editor {winners[0]}\n".encode()
    assert [v.action for v in store.audit()] == ["save", "initial"]


def _save_in_process(folder: str, url: str, n: int, expected: str) -> bool:
    try:
        _open(Path(folder), url).save(FILE, f"process {n}\n".encode(), user=f"p{n}", summary="s", expected=expected)
    except Conflict:
        return False
    return True


def test_concurrent_processes_from_one_version_save_exactly_once(store, folder, backend):
    start = store.token(FILE)
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        saved = list(pool.map(_save_in_process, [str(folder)] * 4, [backend] * 4, range(4), [start] * 4))
    assert saved.count(True) == 1
    assert (folder / FILE).read_bytes() == f"process {saved.index(True)}\n".encode()
    assert [v.action for v in store.audit()] == ["save", "initial"]


@FOLDER_ONLY
def test_failed_replace_leaves_the_file_and_no_temporary_file(store, folder, monkeypatch):
    def fail(*args):
        raise OSError(errno.EIO, "injected")

    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    before = store.audit()
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        store.save(FILE, b"v2\n", user="u", summary="s", expected=store.token(FILE))
    assert (folder / FILE).read_bytes() == b"v1\n"
    assert _leftovers(folder) == []
    assert store.audit() == before


@FOLDER_ONLY
@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_disk_full_or_interrupt_mid_write_leaves_the_file_intact(store, folder, monkeypatch, error):
    new = b"x" * 100_000
    real_write = os.write

    def write_half_then_fail(fd, data):
        if bytes(data) == new:
            real_write(fd, data[: len(data) // 2])
            raise error
        return real_write(fd, data)

    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    monkeypatch.setattr(os, "write", write_half_then_fail)
    with pytest.raises(type(error)) as caught:
        store.save(FILE, new, user="u", summary="s", expected=store.token(FILE))
    if isinstance(error, OSError):
        assert caught.value.errno == errno.ENOSPC
    assert (folder / FILE).read_bytes() == b"v1\n"
    assert _leftovers(folder) == []
    assert [v.action for v in store.audit()] == ["save", "initial"]


@FOLDER_ONLY
def test_saved_file_keeps_its_permissions(store, folder):
    (folder / FILE).chmod(0o640)
    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    assert (folder / FILE).stat().st_mode & 0o777 == 0o640


def test_restore_saves_the_old_content_as_a_new_version(store, folder):
    v1 = store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    store.save(FILE, b"v2\n", user="u", summary="s", expected=store.token(FILE))
    with pytest.raises(Conflict):
        store.restore(FILE, v1.id, user="b", expected=hashlib.sha256(b"v1\n").hexdigest())
    restored = store.restore(FILE, v1.id, user="李四", expected=store.token(FILE))
    assert (folder / FILE).read_bytes() == b"v1\n"
    assert (restored.action, restored.user) == ("restore", "李四")
    assert f"{v1.saved_at:%Y-%m-%d %H:%M:%S}" in restored.summary
    assert [v.action for v in store.history(FILE)] == ["restore", "save", "save", "initial"]


def test_unknown_version_is_a_key_error(store):
    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    for version_id in ["20000101T000000000000Z", "../../tables/output.csv"]:
        with pytest.raises(KeyError, match=r"20000101|tables"):
            store.read(FILE, version_id)
        with pytest.raises(KeyError):
            store.restore(FILE, version_id, user="u", expected=store.token(FILE))


@FOLDER_ONLY
def test_version_ids_are_unique_and_sorted_within_one_microsecond(store, monkeypatch):
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 28, 4, 50, 12, 123456, tzinfo=UTC)

    monkeypatch.setattr(lib.files.store, "datetime", Frozen)
    for n in range(3):
        store.save(FILE, f"v{n}\n".encode(), user="u", summary="s", expected=store.token(FILE))
    ids = [v.id for v in reversed(store.history(FILE))]
    assert ids[0] == "20261128T045012123456Z"
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert [store.read(FILE, i) for i in ids] == [ORIGINAL, b"v0\n", b"v1\n", b"v2\n"]


def test_audit_lists_every_file_newest_first(store):
    store.save(FILE, b"v1\n", user="张三", summary="+4 rows, 2 changed", expected=store.token(FILE))
    store.save("layers/sites.geojson", b"{}", user="李四", summary="moved 1 site", expected="")
    assert [(v.file, v.action, v.user) for v in store.audit()] == [
        ("layers/sites.geojson", "save", "李四"),
        (FILE, "save", "张三"),
        (FILE, "initial", lib.files.store.SYSTEM_USER),
    ]


@FOLDER_ONLY
def test_the_audit_log_keeps_text_readable(store, folder):
    store.save(FILE, b"v1\n", user="张三", summary="+4 rows, 2 changed", expected=store.token(FILE))
    log = (folder / ".history" / "audit.jsonl").read_text(encoding="utf-8")
    assert "张三" in log and "\\u" not in log
    assert all(json.loads(line) for line in log.splitlines())


@FOLDER_ONLY
def test_torn_last_line_of_the_audit_log_is_skipped_and_ended(store, folder):
    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    log = folder / ".history" / "audit.jsonl"
    with open(log, "ab") as handle:
        handle.write(b'{"id": "2026')  # a crash in the middle of a line
    assert len(store.audit()) == 2
    # JSON leaves U+2028 as it is; the log must still read as one entry per line.
    store.save(FILE, b"v2\n", user="line\u2028separator", summary="two\nlines", expected=store.token(FILE))
    assert [v.action for v in store.audit()] == ["save", "save", "initial"]
    assert (store.audit()[0].user, store.audit()[0].summary) == ("line\u2028separator", "two lines")


def test_custom_history_folder(folder, tmp_path):
    store = DataStore(folder, tmp_path / "elsewhere")
    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    assert (tmp_path / "elsewhere" / "audit.jsonl").exists()
    assert not (folder / ".history").exists()


def test_lock_held_too_long_is_a_clear_error(folder):
    store = DataStore(folder, lock_timeout=0.2)
    store.history_dir.mkdir()
    with FileLock(store.history_dir / "save.lock"), pytest.raises(Busy, match="another save"):
        store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    assert (folder / FILE).read_bytes() == ORIGINAL


@pytest.mark.parametrize(
    "relative",
    [
        "",
        "/etc/passwd",
        "../outside.csv",
        "tables/../../outside.csv",
        "C:/data/x.csv",
        ".history/audit.jsonl",
        "tables",
    ],
)
def test_paths_outside_the_data_files_are_refused(store, relative):
    with pytest.raises(ValueError, match=r"data folder|history folder|is a folder"):
        store.save(relative, b"x", user="u", summary="s", expected="")


def test_symlink_out_of_the_folder_is_refused(store, folder, tmp_path):
    (tmp_path / "secret.csv").write_bytes(b"secret")
    (folder / "link.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(ValueError, match="outside the data folder"):
        store.token("link.csv")


def test_equivalent_spellings_share_one_history(store):
    store.save("./tables//output.csv", b"v1\n", user="u", summary="s", expected=store.token(FILE))
    assert [v.file for v in store.history(FILE)] == [FILE, FILE]


# Saved in turn by a child process until it is killed; it imports no more than the store.
KEEP_SAVING = """
import itertools, sys
from lib.files.database import DatabaseStore
from lib.files.store import DataStore
folder, file, url = sys.argv[1:]
store = DatabaseStore(url, folder) if url else DataStore(folder)
for n in itertools.count():
    store.save(file, bytes([65 + n % 2]) * 3_000_000, user="u", summary="s", expected=store.token(file))
"""


def test_a_save_killed_midway_leaves_the_old_or_the_new_file(store, folder, backend):
    contents = (ORIGINAL, b"A" * 3_000_000, b"B" * 3_000_000)
    kills = mid_write = 0
    # Kill at random moments until two kills came while a file was half written (in the
    # database's case, a transaction is whole or not at all: ten kills at random moments).
    while (mid_write < 2 if not backend else kills < 10) and kills < 40:
        saving = subprocess.Popen([sys.executable, "-c", KEEP_SAVING, str(folder), FILE, backend], cwd=ROOT)
        saved = len(store.audit())
        while len(store.audit()) < saved + 2 and saving.poll() is None:
            time.sleep(0.005)
        time.sleep(random.uniform(0, 0.05))
        saving.send_signal(signal.SIGKILL)
        assert saving.wait() == -signal.SIGKILL, "killed while still saving"
        kills += 1
        mid_write += bool(_leftovers(folder))
        assert (folder / FILE).read_bytes() in contents
        for version in store.audit():
            assert store.read(FILE, version.id) in contents
    assert backend or mid_write == 2, f"only {mid_write} of {kills} kills came mid-write"
    # The next save clears what killed saves left behind and works as ever.
    store.save(FILE, b"after\n", user="u", summary="s", expected=store.token(FILE))
    assert (folder / FILE).read_bytes() == b"after\n"
    assert _leftovers(folder) == []


@FOLDER_ONLY
@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        (PermissionError(errno.EACCES, "Permission denied"), "may not write"),
        (OSError(errno.EROFS, "Read-only file system"), "may not write"),
    ],
)
def test_full_disk_or_no_permission_is_a_clear_message_and_no_change(store, folder, monkeypatch, error, expected):
    store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
    before = store.audit()

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OSError) as caught:
        store.save(FILE, b"v2\n", user="u", summary="s", expected=store.token(FILE))
    assert expected in save_failure(caught.value, FILE, "en") and "unchanged" in save_failure(caught.value, FILE, "en")
    assert FILE in save_failure(caught.value, FILE, "zh")
    assert (folder / FILE).read_bytes() == b"v1\n" and store.audit() == before


# --- servers on several hosts sharing one database ----------------------------------------------


def test_a_save_on_one_host_shows_on_another_at_its_next_interaction(folder, database_url, tmp_path):
    here, there = DatabaseStore(database_url, folder), DatabaseStore(database_url, tmp_path / "other-host")
    here.sync()  # the first host's files taken into the database
    there.sync()
    assert (tmp_path / "other-host" / FILE).read_bytes() == ORIGINAL
    here.save(FILE, b"v1\n", user="张三", summary="s", expected=here.token(FILE))
    there.sync()
    assert (tmp_path / "other-host" / FILE).read_bytes() == b"v1\n"
    # Two editors on two hosts from the same version: the second gets the conflict, nothing lost.
    start = there.token(FILE)
    there.save(FILE, b"from there\n", user="李四", summary="s", expected=start)
    with pytest.raises(Conflict):
        here.save(FILE, b"from here\n", user="张三", summary="s", expected=start)
    here.sync()
    assert (folder / FILE).read_bytes() == b"from there\n"
    assert [v.user for v in here.history(FILE)] == ["李四", "张三", lib.files.store.SYSTEM_USER]


def test_processes_of_one_host_share_its_folder_and_the_database_without_false_versions(folder, database_url):
    """As `make serve-replicas` with WANFENG_DATABASE_URL: every process mirrors into one folder."""
    one, two = DatabaseStore(database_url, folder), DatabaseStore(database_url, folder)
    one.save(FILE, b"v1\n", user="张三", summary="s", expected=one.token(FILE))
    assert two.token(FILE) == hashlib.sha256(b"v1\n").hexdigest()
    two.save(FILE, b"v2\n", user="李四", summary="s", expected=two.token(FILE))
    one.sync()
    assert (folder / FILE).read_bytes() == b"v2\n"
    assert [(v.user, v.action) for v in one.history(FILE)] == [
        ("李四", "save"),
        ("张三", "save"),
        (lib.files.store.SYSTEM_USER, "initial"),
    ]


def test_a_file_changed_by_hand_on_one_host_is_kept_as_a_version(folder, database_url, tmp_path):
    here, there = DatabaseStore(database_url, folder), DatabaseStore(database_url, tmp_path / "other-host")
    here.sync()
    there.sync()
    (folder / FILE).write_bytes(b"copied in by hand\n")
    here.sync()
    there.sync()
    assert (tmp_path / "other-host" / FILE).read_bytes() == b"copied in by hand\n"
    # Changed by hand on a host while the database moved on: kept as a version, not lost.
    (tmp_path / "other-host" / FILE).write_bytes(b"by hand over there\n")
    here.save(FILE, b"saved here\n", user="张三", summary="s", expected=here.token(FILE))
    there.sync()
    assert (tmp_path / "other-host" / FILE).read_bytes() == b"saved here\n"
    contents = [here.read(FILE, v.id) for v in here.history(FILE)]
    assert b"by hand over there\n" in contents and b"copied in by hand\n" in contents


def test_files_go_into_the_database_and_come_out_byte_for_byte(database_url, tmp_path):
    store = DatabaseStore(database_url, tmp_path / "host")
    source = ROOT / "data"
    taken = store.import_files(source, user="导入")
    assert {v.file for v in taken} == {d.path for d in DATASETS.values() if (source / d.path).is_file()}
    assert store.import_files(source) == []  # the same files again: nothing new
    written = store.export_files(tmp_path / "out")
    assert written == sorted(v.file for v in taken)
    for key in written:
        assert (tmp_path / "out" / key).read_bytes() == (source / key).read_bytes(), key


def test_while_the_database_is_down_the_folder_keeps_its_files_and_nothing_is_saved(folder, tmp_path):
    with throwaway_cluster() as cluster:
        store = DatabaseStore(cluster.url, folder)
        store.save(FILE, b"v1\n", user="u", summary="s", expected=store.token(FILE))
        checked = store.checked_at()
        cluster.stop()
        with pytest.raises(Unavailable):
            store.sync()
        with pytest.raises(Unavailable) as caught:
            store.save(FILE, b"v2\n", user="u", summary="s", expected=hashlib.sha256(b"v1\n").hexdigest())
        assert "unchanged" in save_failure(caught.value, FILE, "en")
        assert (folder / FILE).read_bytes() == b"v1\n" and store.checked_at() == checked
        cluster.start()
        store.save(FILE, b"v2\n", user="u", summary="s", expected=store.token(FILE))
        assert [v.action for v in store.history(FILE)] == ["save", "save", "initial"]
