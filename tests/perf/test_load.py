"""Many users at once: the load test's short form on one server, and several processes behind nginx.

The full form (30 sessions, every page, and the replicas' gain) is a documented command, not a
test: ``.venv/bin/python scripts/measuring/load_test.py`` (README). Here the figures are not held to a
bound; what is held is that every page completes for every session and tab, that the shared
work (loading the data, building a map) ran once for all of them, and, behind nginx, that a
session stays with one process and a save is seen through every process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from lib.contract.i18n import tr
from lib.contract.settings import ROOT
from lib.drawn.offline import install_vendor_assets, publish
from lib.files.database import DatabaseStore
from lib.files.store import DataStore
from lib.serving.load import (
    HTML_ASSET,
    Chromium,
    PageIncomplete,
    Session,
    Walked,
    browser_walk,
    first_visit,
    shared_work,
    url_path,
)
from lib.serving.postgres import throwaway_cluster
from lib.serving.processes import free_port, start_dashboard, stop, wait_healthy
from lib.serving.replicas import Cluster, nginx_binary, serve
from lib.serving.warm import FIRST_PAGES, WARMED

pytestmark = pytest.mark.browser

CHANGED_FILE = "tables/output.csv"
MAP_FRAME = "component/streamlit_folium.st_folium/index.html"


def _run(coroutine):
    """Run ``coroutine`` to its end in a thread of its own: the browser tests' Playwright keeps
    an event loop running in this one, where ``asyncio.run`` is refused."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


# --- the protocol client, on messages made here ------------------------------------------------


class FakeSocket:
    """A websocket that hands out the given server messages in turn."""

    def __init__(self, messages: list[ForwardMsg]) -> None:
        self.messages = [m.SerializeToString() for m in messages]

    async def recv(self) -> bytes:
        return self.messages.pop(0)


def _session(messages: list[ForwardMsg]) -> Session:
    session = Session(1, "http://127.0.0.1:1", ThreadPoolExecutor(1), timeout=5)
    session.ws = FakeSocket(messages)
    return session


def _finished(status: int = ForwardMsg.FINISHED_SUCCESSFULLY) -> ForwardMsg:
    return ForwardMsg(script_finished=status)


def _new_run() -> ForwardMsg:
    message = ForwardMsg()
    message.new_session.SetInParent()
    return message


def _map_element(geo: str) -> ForwardMsg:
    message = ForwardMsg()
    component = message.delta.new_element.component_instance
    component.component_name = "streamlit_folium.st_folium"
    args = {"script": f'fetchJSON("../../app/static/geo/{geo}.json")', "js_links": ["../../app/static/vendor/l.js"]}
    component.json_args = json.dumps(args)
    return message


def _exception() -> ForwardMsg:
    message = ForwardMsg()
    message.delta.new_element.exception.type = "KeyError"
    message.delta.new_element.exception.message = "'quarter'"
    return message


def test_a_page_names_the_files_its_map_fetches():
    session = _session([_new_run(), _map_element("ab12"), _finished()])
    assets = _run(session.until_finished())
    assert assets == [
        "/component/streamlit_folium.st_folium/index.html",
        "/app/static/vendor/l.js",
        "/app/static/geo/ab12.json.gz",
    ]


def test_an_exception_on_the_page_makes_it_incomplete():
    session = _session([_new_run(), _exception(), _finished()])
    with pytest.raises(PageIncomplete, match="KeyError"):
        _run(session.until_finished())


def test_a_run_cut_short_for_a_rerun_is_followed_to_the_end():
    # The first run's exception is gone with the rerun; the second run's map counts.
    messages = [_new_run(), _exception(), _finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN)]
    messages += [_new_run(), _map_element("cd34"), _finished()]
    assert _run(_session(messages).until_finished())[-1] == "/app/static/geo/cd34.json.gz"


def test_a_failed_script_makes_the_page_incomplete():
    session = _session([_new_run(), _finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)])
    with pytest.raises(PageIncomplete, match="COMPILE_ERROR"):
        _run(session.until_finished())


def test_shared_work_is_counted_from_the_log():
    log = "\n".join(
        [
            "2026-01-01 10:00:00.000 loaded data from /d (version aaaa1111) in 0.20 s",
            "2026-01-01 10:00:00.100 built map ('zh', None, False, 'dashboard') (version aaaa1111) in 0.07 s",
            "2026-01-01 10:00:00.200 built map ('zh', ('lake',), False, None) (version aaaa1111) in 0.05 s",
            "2026-01-01 10:00:01.000 built map ('zh', None, False, 'dashboard') (version aaaa1111) in 0.07 s",
        ]
    )
    assert shared_work(log) == (1, 3, 1)


# --- shared files written by many sessions at once ----------------------------------------------


def test_vendor_assets_installed_by_many_sessions_at_once(tmp_path):
    # The first sessions after a start on a fresh checkout all find static/vendor missing.
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: install_vendor_assets(tmp_path), range(8)))
    assert (tmp_path / "leaflet" / "leaflet.js").stat().st_size > 100_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leaflet", "markercluster", "wanfeng"]


def test_a_layer_published_by_many_maps_at_once(tmp_path):
    text = json.dumps({"type": "FeatureCollection", "features": [{"id": n} for n in range(5000)]})
    with ThreadPoolExecutor(max_workers=8) as pool:
        urls = set(pool.map(lambda _: publish(text, tmp_path), range(8)))
    name = next(iter(urls)).rsplit("/", 1)[1]
    assert len(urls) == 1 and (tmp_path / name).read_text() == text
    assert sorted(p.name for p in tmp_path.iterdir()) == [name, f"{name}.gz"]


# --- one server ----------------------------------------------------------------------------------


def test_short_load_test_on_one_server(tmp_path):
    """Six sessions and a browser tab at once on a fresh server: every page complete, the data
    loaded once and no map built twice although all of them asked at the same moment."""
    out = tmp_path / "load.json"
    command = [sys.executable, "scripts/measuring/load_test.py", "--sessions", "6", "--browsers", "1"]
    command += ["--pages", "overview,map,industry", "--no-warmup", "--timeout", "40", "--deadline", "60"]
    done = subprocess.run(
        [*command, "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=150, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    outcome = json.loads(out.read_text(encoding="utf-8"))
    assert (outcome["complete"], outcome["failed"]) == (21, 0), outcome["errors"]
    assert outcome["protocol"]["count"] == 18 and outcome["browser"]["count"] == 3
    assert outcome["data_loads"] == [1]
    assert outcome["map_builds"][0] >= 1 and outcome["repeated_builds"] == 0
    assert outcome["rss_after_kb"] > 0 and outcome["per_session_kb"] is not None
    assert outcome["wall_s"] < 60
    assert "| 6 + 1 | 1 (direct) | 21 / 21 |" in done.stdout


def test_a_server_opens_its_first_pages_itself_before_anyone_comes(tmp_path):
    """Started on files new to it, the server reads them and builds its first pages' maps
    itself, says so in its log, and its first visitor finds all of it done."""
    port, log = free_port(), tmp_path / "server.log"
    process = start_dashboard(port, log, WANFENG_CACHE_DIR=str(tmp_path / "cache"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(process, url, log)
        for _ in range(600):
            if WARMED in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        text = log.read_text(encoding="utf-8")
        assert f"{WARMED}: {', '.join(FIRST_PAGES)}" in text, text[-3000:]
        warmed = shared_work(text)
        assert warmed[0] == 1 and warmed[1] >= 2, text[-3000:]  # the data, the overview's map and the map page's
        with ThreadPoolExecutor(8) as pool:
            assert _run(first_visit(url, FIRST_PAGES, pool, 60)) == []
        assert shared_work(log.read_text(encoding="utf-8")) == warmed  # nothing read or built again
    finally:
        stop(process)


# --- several processes behind nginx ---------------------------------------------------------------


@pytest.fixture
def cluster(data_copy, tmp_path):
    """Two dashboard processes on a copy of the data, behind Debian's nginx."""
    if nginx_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed: `make test` installs it (Makefile SYSTEM_PACKAGES)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    with serve(2, data_dir=data_copy, folder=tmp_path / "cluster") as running:
        yield running


async def _sessions_on_every_replica(cluster: Cluster, pool: ThreadPoolExecutor) -> list[Session]:
    """Sessions walking two pages, four at a time, until each process has some (at most 16)."""
    sessions: list[Session] = []
    wanted = {replica.address for replica in cluster.replicas}
    go = asyncio.Event()
    go.set()
    while len(sessions) < 16 and not wanted <= {a for s in sessions for a in s.replicas}:
        batch = [Session(len(sessions) + n + 1, cluster.url, pool, timeout=40) for n in range(4)]
        await asyncio.gather(*(s.walk(["overview", "map"], go) for s in batch))
        sessions += batch
    return sessions


async def _browser_through(cluster: Cluster):
    """A real Chromium tab walking two pages through nginx."""
    go = asyncio.Event()
    go.set()
    tab = Walked(cluster.url)
    async with Chromium(1) as browser:
        await browser_walk(browser, 1, go, argparse.Namespace(pages=["overview", "map"], timeout=40, think=0), tab)
        await tab.contexts[0].close()
    return tab.times


async def _after_save(sessions: list[Session], data_copy) -> list[Session]:
    """Save a changed file as the data page does, then open a page in one session per process."""
    store = DataStore(data_copy)
    content = (data_copy / CHANGED_FILE).read_bytes().replace(b"781.3", b"not-a-number", 1)
    store.save(CHANGED_FILE, content, user="load-test", summary="a bad value", expected=store.token(CHANGED_FILE))
    one_each = list({next(iter(s.replicas)): s for s in sessions if len(s.replicas) == 1}.values())
    for session in one_each:
        await session.open("industry", "industry")
    return one_each


def _cache_statuses(url: str, path: str) -> list[str]:
    """nginx's X-Cache for a file, fetched twice."""
    statuses = []
    for _ in range(2):
        with urllib.request.urlopen(f"{url}/{path}", timeout=20) as response:
            statuses.append(response.headers.get("X-Cache"))
    return statuses


def test_replicas_behind_nginx(cluster: Cluster, data_copy):
    pool = ThreadPoolExecutor(max_workers=32)

    async def scenario():
        sessions = await _sessions_on_every_replica(cluster, pool)
        tab = await _browser_through(cluster)
        seen = await _after_save(sessions, data_copy)
        for session in sessions:
            await session.close()
        return sessions, tab, seen

    sessions, tab, seen = _run(scenario())
    pool.shutdown()
    # Streamlit's own scripts, Leaflet and the map's frame come from nginx's cache after the
    # first user's visit: the bulk of a first visit's bytes.
    with urllib.request.urlopen(cluster.url, timeout=20) as response:
        script = HTML_ASSET.findall(response.read().decode())[0]
    for path in (script, "app/static/vendor/leaflet/leaflet.js", MAP_FRAME):
        assert _cache_statuses(cluster.url, path)[-1] == "HIT", path

    # Every request of a session, its websocket included, reached one process; both had some.
    assert all(len(s.replicas) == 1 for s in sessions), [s.replicas for s in sessions]
    assert {a for s in sessions for a in s.replicas} == {r.address for r in cluster.replicas}
    # Every page complete through nginx, for the sessions and for a real browser.
    assert all(r.complete for s in sessions for r in s.results), [r for s in sessions for r in s.results]
    assert [t.complete for t in tab] == [True, True], tab
    # The save reached every process at its next rerun: each shows the new problem.
    assert len(seen) == 2
    for session in seen:
        assert any(CHANGED_FILE in text for text in session.texts), session.texts
    # Each process read the data twice (before and after the save), whatever its sessions.
    for replica in cluster.replicas:
        loads, builds, repeated = shared_work(replica.log.read_text(encoding="utf-8"))
        assert loads == 2 and builds >= 1 and repeated == 0, replica.log.read_text(encoding="utf-8")[-2000:]


# --- servers on two hosts sharing one PostgreSQL database ---------------------------------------


@pytest.fixture
def hosts(data_copy, tmp_path):
    """Two dashboard processes behind nginx, each with a data folder of its own, sharing a
    database of their own (to stop and start) into which the data was imported."""
    if nginx_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed: `make test` installs it (Makefile SYSTEM_PACKAGES)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    with throwaway_cluster() as database:
        DatabaseStore(database.url, tmp_path / "importer").import_files(data_copy, user="import")
        with serve(2, database=database.url, folder=tmp_path / "hosts") as running:
            yield running, database


async def _open_on_each(sessions: list[Session], page: str) -> list[list[str]]:
    """``page`` opened by one session per process; what each showed."""
    for session in sessions:
        await session.open(page, url_path(page))
    return [list(session.texts) for session in sessions]


def test_two_hosts_sharing_a_database_see_each_others_saves_and_outlive_it(hosts, tmp_path):
    cluster, database = hosts
    pool = ThreadPoolExecutor(max_workers=32)
    outage = tr("storage.unavailable", "zh").split("：")[0]

    async def scenario():
        sessions = await _sessions_on_every_replica(cluster, pool)
        one_each = list({next(iter(s.replicas)): s for s in sessions if len(s.replicas) == 1}.values())
        # A save through the first host, as its data page saves: seen through the other too.
        first = DatabaseStore(database.url, tmp_path / "hosts" / "host-1")
        content = (tmp_path / "hosts" / "host-1" / CHANGED_FILE).read_bytes().replace(b"781.3", b"not-a-number", 1)
        first.save(CHANGED_FILE, content, user="张三", summary="a bad value", expected=first.token(CHANGED_FILE))
        saved = await _open_on_each(one_each, "industry")
        database.stop()
        down = await _open_on_each(one_each, "overview")
        database.start()
        back = await _open_on_each(one_each, "overview")
        for session in sessions:
            await session.close()
        return one_each, saved, down, back, content

    one_each, saved, down, back, content = _run(scenario())
    pool.shutdown()
    assert len(one_each) == 2
    assert all(any(CHANGED_FILE in text for text in texts) for texts in saved), saved
    # The database gone: every page still complete, with the data each host had and a notice.
    assert all(r.complete for s in one_each for r in s.results), [r for s in one_each for r in s.results]
    assert all(any(outage in text for text in texts) for texts in down), down
    assert all(not any(outage in text for text in texts) for texts in back), back
    for host in ("host-1", "host-2"):
        assert (tmp_path / "hosts" / host / CHANGED_FILE).read_bytes() == content
