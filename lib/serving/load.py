"""Load test: many users at once on one dashboard server, or on several processes behind nginx.

On a 2-core machine thirty headless Chromium tabs would measure Chromium, not the server. So
each *session* is a light client that does for the server what a browser does, over loopback:

* it GETs the page's HTML and the files it lists, Streamlit's health and host-config, and opens
  the websocket ``/_stcore/stream`` with its cookies (the XSRF token, nginx's route);
* it asks for each page as the frontend does: the first by the address's path and query
  (``rerun_script`` with ``page_name``), the next ones as a click in the sidebar does (the
  page's script hash, the hashes of the messages it keeps), and reads Streamlit's protobuf
  messages until the script has finished;
* it fetches what the page makes the browser fetch: the map component's frame, its scripts,
  and the layer files under ``/app/static/geo/`` named in the map's arguments.

A page is *complete* when the script finished successfully with no exception on the page,
in time. Alongside, a few real Chromium tabs walk the same pages at the same time; their page
time runs until the script is idle and every map on the page is drawn
(``body[data-map-drawn=true]`` in its frame). All sessions and tabs start together (a barrier)
and every page is bounded by ``--timeout``, the whole run by ``--deadline``. By default a
session asks for its next page as soon as one is complete, the hardest case; ``--think S``
lets each user read a page for 0.5-1.5 times S seconds first. With ``--ramp S`` the sessions
arrive one after another over S seconds, as people open a link sent to them, not all in the
same instant (the default, a burst).

Before the barrier one session walks the pages alone on each process (the first visitor after
a start; skip with ``--no-warmup``). Server memory is read from /proc (VmRSS of the processes and their
children) before the barrier and once every session has walked every page, still connected.
The dashboard logs each data load and map build (logger ``wanfeng``): the counts show the
shared work ran once per process, not once per session. The command is
scripts/measuring/load_test.py.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import gzip
import http.cookiejar
import json
import math
import os
import random
import re
import resource
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from lib.contract.settings import DEFAULT_DATA_DIR, ROOT
from lib.files.database import DatabaseStore
from lib.serving.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, MAP_DRAWN, MAP_FRAME
from lib.serving.postgres import throwaway_cluster
from lib.serving.replicas import Cluster, serve

VIEWPORT = {"width": 1600, "height": 1000}
QUERY = "lang=zh"
REPLICA_HEADER = "X-Dashboard-Replica"
# What the HTML makes a new visitor's browser fetch from the server.
HTML_ASSET = re.compile(r'(?:src|href)="\./(static/[^"]+)"')
# Layer files and scripts named in the map component's arguments, relative to its frame.
GEO_FILE = re.compile(r"[./]*app/static/geo/[0-9a-f]+\.json")
LOADED = re.compile(r"loaded data from .* \(version (\w+)\)")
BUILT = re.compile(r"built map (.*) \(version (\w+)\)")
KB = 1024


class PageIncomplete(Exception):
    """The page's script did not finish successfully, or showed an exception."""


@dataclass
class PageTime:
    """One page opened by one session or browser tab."""

    client: str
    session: int
    page: str
    seconds: float | None
    complete: bool
    error: str | None = None


@dataclass
class Stats:
    """Page times of complete pages, in seconds."""

    count: int
    p50: float | None
    p95: float | None
    max: float | None


@dataclass
class Outcome:
    """Everything one load test measured; written as JSON with ``--json``."""

    url: str
    sessions: int
    browsers: int
    replicas: int
    pages: list[str]
    walked: int = 0
    complete: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    protocol: Stats | None = None
    browser: Stats | None = None
    warmup_s: float | None = None
    wall_s: float | None = None
    rss_before_kb: int | None = None
    rss_after_kb: int | None = None
    hwm_kb: int | None = None
    per_session_kb: float | None = None
    server_cpu_s: float | None = None
    client_cpu_s: float | None = None
    data_loads: list[int] | None = None
    map_builds: list[int] | None = None
    repeated_builds: int | None = None
    sessions_per_replica: dict[str, int] = field(default_factory=dict)
    sticky: bool | None = None
    think_s: float = 0.0
    ramp_s: float = 0.0
    database: bool = False  # the data in PostgreSQL, each process with a folder of its own
    page_p95: dict[str, float | None] = field(default_factory=dict)


def log(message: str) -> None:
    """Progress, on stderr: stdout carries the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def page_list() -> list[str]:
    """The URL paths of dashboard.PAGE_LIST, read from the source: importing it would run the app."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGE_LIST" for t in node.targets):
            return [path for path, _key, _icon in ast.literal_eval(node.value)]
    raise RuntimeError("dashboard.py has no PAGE_LIST")


PAGES = page_list()


def pauses(seed: int, think: float) -> Iterator[float]:
    """Seconds between pages: ``think`` give or take half, so that users drift apart as they do."""
    rng = random.Random(seed)
    while True:
        yield think * rng.uniform(0.5, 1.5)


def url_path(page: str) -> str:
    """The page's path in the address: the first page of PAGE_LIST, the default, is the root."""
    return "" if page == PAGES[0] else page


def percentile(values: list[float], share: float) -> float | None:
    """The ``share`` quantile (nearest rank), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def stats(times: list[PageTime]) -> Stats:
    """Median, 95th percentile and maximum of the complete pages' times."""
    values = [t.seconds for t in times if t.complete and t.seconds is not None]
    return Stats(len(values), percentile(values, 0.5), percentile(values, 0.95), max(values, default=None))


# --- the server's side: memory, CPU, log ------------------------------------------------------


def process_tree(pids: list[int]) -> list[int]:
    """The processes and all their descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def status_kb(pids: list[int], key: str) -> int:
    """The sum of one /proc/<pid>/status field (VmRSS, VmHWM) over the process trees, in kB."""
    total = 0
    for pid in process_tree(pids):
        with suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(f"{key}:"):
                    total += int(line.split()[1])
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the process trees so far."""
    total = 0.0
    for pid in process_tree(pids):
        with suppress(OSError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def shared_work(log_text: str) -> tuple[int, int, int]:
    """Data loads, map builds, and builds of a map already built for the same data version."""
    loads = len(LOADED.findall(log_text))
    builds = Counter(BUILT.findall(log_text))
    return loads, sum(builds.values()), sum(count - 1 for count in builds.values())


# --- a session: what a browser does for the server ----------------------------------------------


class Session:
    """One user, speaking Streamlit's protocol over one websocket, with its own cookies."""

    def __init__(self, number: int, base: str, pool: ThreadPoolExecutor, timeout: float) -> None:
        self.number = number
        self.base = base.rstrip("/")
        self.pool = pool
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.ws: ClientConnection | None = None
        self.page_hashes: dict[str, str] = {}
        # Messages the frontend keeps, by hash: the server then sends a reference instead.
        self.kept: dict[str, list[str]] = {}
        self.etags: dict[str, str] = {}
        self.replicas: set[str] = set()
        self.texts: list[str] = []
        self.results: list[PageTime] = []

    def _get(self, path: str, read: bool = False) -> str:
        """GET as a browser tab would: with its cookies, revalidating what it fetched before.
        The body, as text, only when ``read``: unpacking every file here, in the one process
        (and GIL) of all sessions, would slow the sessions, not the server."""
        # As a browser: compressed where the server compresses (that is the server's work).
        request = urllib.request.Request(self.base + path, headers={"Accept-Encoding": "gzip"})
        if path in self.etags:
            request.add_header("If-None-Match", self.etags[path])
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body, headers = response.read(), response.headers
            if read and headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
        except urllib.error.HTTPError as error:
            if error.code != 304:
                raise
            body, headers = b"", error.headers
        if headers.get("ETag"):
            self.etags[path] = headers["ETag"]
        if headers.get(REPLICA_HEADER):
            self.replicas.add(headers[REPLICA_HEADER])
        return body.decode("utf-8", "replace") if read else ""

    async def get(self, path: str, read: bool = False) -> str:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._get, path, read)

    async def fetch_all(self, paths: list[str]) -> None:
        """Fetch in parallel, as a browser fetches a page's files."""
        await asyncio.gather(*(self.get(path) for path in paths))

    def cookie(self) -> str:
        request = urllib.request.Request(f"{self.base}/_stcore/stream")
        self.jar.add_cookie_header(request)
        return request.get_header("Cookie") or ""

    async def connect(self) -> None:
        """Open the websocket as the frontend does: the XSRF token in the subprotocols, the cookies."""
        xsrf = next((c.value for c in self.jar if c.name == "_streamlit_xsrf"), "")
        protocols = [Subprotocol("streamlit"), *([Subprotocol(xsrf)] if xsrf else [])]
        self.ws = await connect(
            "ws" + self.base.removeprefix("http") + "/_stcore/stream",
            subprotocols=protocols,
            additional_headers={"Cookie": self.cookie()},
            origin=Origin(self.base),
            max_size=None,
            open_timeout=self.timeout,
        )
        if self.ws.response and self.ws.response.headers.get(REPLICA_HEADER):
            self.replicas.add(self.ws.response.headers[REPLICA_HEADER])

    async def walk(self, pages: list[str], start: asyncio.Event, think: float = 0.0, arrive: float = 0.0) -> None:
        """Open every page in turn, ``arrive`` seconds after ``start`` is set, reading each for
        about ``think`` seconds."""
        await start.wait()
        await asyncio.sleep(arrive)
        pause = pauses(self.number, think)
        for index, page in enumerate(pages):
            if index:
                await asyncio.sleep(next(pause))
            began = time.monotonic()
            try:
                await asyncio.wait_for(self.open(page, url_path(page)), self.timeout)
                self.results.append(PageTime("protocol", self.number, page, time.monotonic() - began, True))
            except Exception as error:  # any failure: the page is incomplete
                message = f"{type(error).__name__}: {error}"[:300]
                self.results.append(PageTime("protocol", self.number, page, None, False, message))
                # As a user would, load the next page afresh rather than on a connection in doubt.
                await self.close()

    async def open(self, page: str, path: str) -> None:
        """One page: ask for its run, read until it finished, fetch what it names."""
        if self.ws is None or path not in self.page_hashes:
            # A first visit, or after a page that never came: the address typed again.
            await self.close()
            self.kept = {}
            html = await self.get(f"/{path}?{QUERY}", read=True)
            await self.fetch_all(["/_stcore/health", "/_stcore/host-config"])
            await self.connect()
            state = ClientState(query_string=QUERY, page_name=path)
            assets = [f"/{asset}" for asset in HTML_ASSET.findall(html)]
        else:
            # A click in the sidebar: the page's hash, the address's query cleared.
            state = ClientState(page_script_hash=self.page_hashes[path])
            assets = []
        state.cached_message_hashes.extend(sorted(self.kept))
        state.context_info.CopyFrom(
            ContextInfo(
                timezone="Asia/Shanghai",
                timezone_offset=-480,
                locale="zh-CN",
                url=f"{self.base}/{path}",
                is_embedded=False,
                color_scheme="light",
            )
        )
        assert self.ws is not None, "connected above, or kept from the page before"
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        assets += await self.until_finished()
        # Asked again on every page that names them (revalidated: 304 for a file unchanged).
        await self.fetch_all(list(dict.fromkeys(assets)))

    async def until_finished(self) -> list[str]:
        """Read the server's messages until the script run is over; the files the page names."""
        assets: list[str] = []
        problem: str | None = None
        while True:
            message = ForwardMsg()
            assert self.ws is not None, "open() connects before reading"
            message.ParseFromString(await self.ws.recv())
            kind = message.WhichOneof("type")
            found: list[str] = []
            if kind == "new_session":
                # A run starts: what an interrupted run showed is gone.
                assets, problem, self.texts = [], None, []
            elif kind == "ref_hash":
                found = self.kept.get(message.ref_hash, [])
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                found, shown = self.element(message.delta.new_element)
                problem = problem or shown
            elif kind == "navigation":
                self.page_hashes = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
            elif kind == "page_not_found":
                problem = f"page not found: {message.page_not_found.page_name!r}"
            elif kind == "script_finished":
                status = message.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problem = problem or f"script {ForwardMsg.ScriptFinishedStatus.Name(status)}"
                break
            if message.metadata.cacheable and message.hash:
                self.kept[message.hash] = found
            assets += found
        if problem:
            raise PageIncomplete(problem)
        return assets

    def element(self, element) -> tuple[list[str], str | None]:
        """The files an element makes the browser fetch, and the exception it shows (None)."""
        kind = element.WhichOneof("type")
        if kind == "exception":
            return [], f"exception on the page: {element.exception.type}: {element.exception.message}"[:300]
        if kind in ("alert", "markdown", "text"):
            self.texts.append(getattr(element, kind).body)
        if kind != "component_instance":
            return [], None
        component = element.component_instance
        frame = f"/component/{component.component_name}/index.html"
        args = json.loads(component.json_args or "{}")
        links = [link for link in args.get("js_links", []) + args.get("css_links", []) if isinstance(link, str)]
        layers = [f"{name}.gz" for name in GEO_FILE.findall(component.json_args)]
        return [frame, *(urljoin(frame, link) for link in [*links, *layers] if "//" not in link)], None

    async def close(self) -> None:
        if self.ws is not None:
            with suppress(Exception):
                await self.ws.close()
            self.ws = None


# --- a real browser tab -------------------------------------------------------------------------


async def browser_walk(browser, number: int, start: asyncio.Event, args: argparse.Namespace, into: Walked) -> None:
    """Walk the pages in a Chromium tab of its own (its own cookies), once ``start`` is set: the
    first by its address, the next by the sidebar's links. The tab is left open."""
    await start.wait()
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    into.contexts.append(context)
    tab = await context.new_page()
    runs = RunWatch(tab)
    pause = pauses(-number, args.think)
    for index, page in enumerate(args.pages):
        if index:
            await asyncio.sleep(next(pause))
        began = time.monotonic()
        try:
            walk = browser_page(tab, runs, into.url, url_path(page), index == 0, args.timeout)
            await asyncio.wait_for(walk, args.timeout)
            into.times.append(PageTime("browser", number, page, time.monotonic() - began, True))
        except Exception as error:  # any failure: the page is incomplete
            message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300]
            into.times.append(PageTime("browser", number, page, None, False, message))


@dataclass
class Walked:
    """What the browser tabs have done so far, and their contexts to close at the end."""

    url: str
    times: list[PageTime] = field(default_factory=list)
    contexts: list = field(default_factory=list)


class RunWatch:
    """Script runs finished, as the tab's websocket receives them: a short run may never show
    in the page's script state (the frontend can draw "running" and "not running" as one)."""

    def __init__(self, tab) -> None:
        self.finished = 0
        tab.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if not isinstance(payload, bytes):
            return
        message = ForwardMsg()
        with suppress(Exception):
            message.ParseFromString(payload)
        if message.WhichOneof("type") == "script_finished":
            self.finished += message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN

    async def past(self, count: int) -> None:
        """Until more than ``count`` runs have finished."""
        while self.finished <= count:
            await asyncio.sleep(0.05)


async def browser_page(tab, runs: RunWatch, base: str, path: str, first: bool, timeout: float) -> None:
    """Open one page and wait until its script has run, the app is idle and every map on it drawn."""
    ms = timeout * 1000
    seen = runs.finished
    if first:
        await tab.goto(f"{base}/{path}?{QUERY}", wait_until="commit", timeout=ms)
    else:
        link = tab.locator(f"[data-testid='stSidebarNavLink'][href='{base}/{path}']")
        # The presentation hides the sidebar; its links still navigate in the app.
        if await link.is_visible():
            await link.click(timeout=ms)
        else:
            await link.dispatch_event("click", timeout=ms)
    await runs.past(seen)
    await tab.wait_for_selector(IDLE, timeout=ms)
    for index in range(await tab.locator(MAP_FRAME).count()):
        drawn = tab.frame_locator(MAP_FRAME).nth(index).locator(MAP_DRAWN)
        await drawn.wait_for(state="attached", timeout=ms)
    if await tab.locator("[data-testid='stException']").count():
        raise PageIncomplete("exception on the page")
    if await tab.get_by_text("Page not found").count():
        raise PageIncomplete("page not found")


# --- the run --------------------------------------------------------------------------------------


async def load(args: argparse.Namespace, url: str, cluster: Cluster | None, outcome: Outcome) -> list[Session]:
    """Warm up, then let every session and tab walk the pages at once; fills ``outcome``."""
    pool = ThreadPoolExecutor(max_workers=min(256, 8 * (args.sessions + 1)))
    pids = cluster.pids if cluster else []
    try:
        if args.warmup:
            # Every process, each at its own address: the first visitor each has had.
            outcome.warmup_s = await warm_up([r.url for r in cluster.replicas] if cluster else [url], pool, args)
        sessions = [Session(number + 1, url, pool, args.timeout) for number in range(args.sessions)]
        tabs = Walked(url)
        start = asyncio.Event()
        async with Chromium(args.browsers) as browser:
            arrivals = [index * args.ramp / len(sessions) for index in range(len(sessions))]
            walks = [
                asyncio.create_task(s.walk(args.pages, start, args.think, arrive))
                for s, arrive in zip(sessions, arrivals, strict=True)
            ]
            walks += [
                asyncio.create_task(browser_walk(browser, n + 1, start, args, tabs)) for n in range(args.browsers)
            ]
            before = Meter.read(pids)
            log(f"{args.sessions} sessions and {args.browsers} browser tabs start")
            began = time.monotonic()
            start.set()
            _done, pending = await asyncio.wait(walks, timeout=args.deadline)
            outcome.wall_s = time.monotonic() - began
            # Read while every session is still connected: the memory the server holds for them.
            before.record(outcome, Meter.read(pids), args.sessions)
            for task in pending:
                task.cancel()
            for session in sessions:
                await session.close()
            for context in tabs.contexts:
                with suppress(Exception):
                    await context.close()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    summarise(outcome, [r for s in sessions for r in s.results], tabs.times, args)
    return sessions


async def warm_up(urls: list[str], pool: ThreadPoolExecutor, args: argparse.Namespace) -> float:
    """One session walks the pages alone at each address, as the first visitor after a start;
    the seconds of them all."""
    began = time.monotonic()
    failed = []
    for url in urls:
        failed += await first_visit(url, args.pages, pool, args.timeout)
    seconds = time.monotonic() - began
    log(f"warm-up walk: {seconds:.1f} s" + (f", failed: {failed}" if failed else ""))
    return seconds


async def first_visit(url: str, pages: list[str], pool: ThreadPoolExecutor, timeout: float) -> list[str]:
    """One new session opens ``pages`` at ``url`` in turn; what went wrong on those that failed."""
    ready = asyncio.Event()
    ready.set()
    session = Session(0, url, pool, timeout)
    try:
        await session.walk(pages, ready)
    finally:
        await session.close()
    return [f"{r.page}: {r.error}" for r in session.results if not r.complete]


@dataclass
class Meter:
    """The server processes' memory and CPU, and this process's CPU, at one moment."""

    rss_kb: int | None
    hwm_kb: int | None
    server_cpu: float | None
    client_cpu: float

    @classmethod
    def read(cls, pids: list[int]) -> Meter:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        if not pids:
            return cls(None, None, None, usage.ru_utime + usage.ru_stime)
        rss, hwm = status_kb(pids, "VmRSS"), status_kb(pids, "VmHWM")
        return cls(rss, hwm, cpu_seconds(pids), usage.ru_utime + usage.ru_stime)

    def record(self, outcome: Outcome, after: Meter, sessions: int) -> None:
        """What changed from this reading to ``after``."""
        outcome.client_cpu_s = after.client_cpu - self.client_cpu
        if self.rss_kb is None or after.rss_kb is None:
            return
        outcome.rss_before_kb, outcome.rss_after_kb, outcome.hwm_kb = self.rss_kb, after.rss_kb, after.hwm_kb
        # read() measures the CPU whenever it measures the memory.
        assert self.server_cpu is not None and after.server_cpu is not None
        outcome.server_cpu_s = after.server_cpu - self.server_cpu
        outcome.per_session_kb = (after.rss_kb - self.rss_kb) / max(1, sessions)


class Chromium:
    """Debian's Chromium through Playwright when tabs are asked for; nothing otherwise."""

    def __init__(self, tabs: int) -> None:
        self.tabs = tabs
        self.playwright = None
        self.browser = None

    async def __aenter__(self):
        if not self.tabs:
            return None
        from playwright.async_api import async_playwright

        self.playwright = await async_playwright().start()
        self.browser = await self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self.browser

    async def __aexit__(self, *exc) -> None:
        if self.browser is not None:
            await self.browser.close()
        if self.playwright is not None:
            await self.playwright.stop()


def summarise(outcome: Outcome, times: list[PageTime], browser_times: list[PageTime], args) -> None:
    """Counts, failures and percentiles; pages not walked by the deadline count as failed."""
    expected = (args.sessions + args.browsers) * len(args.pages)
    every = times + browser_times
    outcome.walked = len(every)
    outcome.complete = sum(t.complete for t in every)
    outcome.failed = expected - outcome.complete
    outcome.errors = [f"{t.client} {t.session} {t.page}: {t.error}" for t in every if not t.complete][:20]
    if len(every) < expected:
        outcome.errors.append(f"{expected - len(every)} pages not walked within the {args.deadline:.0f} s deadline")
    outcome.protocol = stats(times)
    outcome.browser = stats(browser_times)
    outcome.page_p95 = {page: stats([t for t in times if t.page == page]).p95 for page in args.pages}


def stickiness(outcome: Outcome, sessions: list[Session]) -> None:
    """Sessions per replica, and whether every session's requests and websocket stayed on one."""
    outcome.sticky = all(len(s.replicas) == 1 for s in sessions)
    outcome.sessions_per_replica = dict(Counter(next(iter(s.replicas)) for s in sessions if len(s.replicas) == 1))


def count_shared_work(outcome: Outcome, cluster: Cluster) -> None:
    """Data loads and map builds per process, from the processes' logs."""
    works = [shared_work(r.log.read_text(encoding="utf-8", errors="replace")) for r in cluster.replicas]
    outcome.data_loads = [w[0] for w in works]
    outcome.map_builds = [w[1] for w in works]
    outcome.repeated_builds = sum(w[2] for w in works)


def seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def report(outcome: Outcome) -> str:
    """The figures as a markdown table and a few lines."""
    p, b = outcome.protocol, outcome.browser
    assert p is not None and b is not None, "summarise() comes first"
    memory = "n/a" if outcome.per_session_kb is None else f"{outcome.per_session_kb / KB:.1f} MiB"
    if outcome.per_session_kb is not None and outcome.warmup_s is None:
        memory += " (cold: with the first load)"
    browsers = f"{seconds(b.p50)} / {seconds(b.p95)} / {seconds(b.max)}" if outcome.browsers else "—"
    loads = "n/a" if outcome.data_loads is None else "+".join(map(str, outcome.data_loads))
    builds = "n/a" if outcome.map_builds is None else "+".join(map(str, outcome.map_builds))
    lines = [
        "| Sessions + tabs | Replicas | Pages complete | Sessions p50 / p95 / max | Tabs p50 / p95 / max "
        "| Memory per session | Data loads | Map builds |",
        "|---|---|---|---|---|---|---|---|",
        f"| {outcome.sessions} + {outcome.browsers} | {outcome.replicas or 1}{'' if outcome.replicas else ' (direct)'} "
        f"| {outcome.complete} / {outcome.complete + outcome.failed} "
        f"| {seconds(p.p50)} / {seconds(p.p95)} / {seconds(p.max)} | {browsers} | {memory} | {loads} | {builds} |",
        "",
    ]
    if outcome.rss_before_kb is not None:
        # Meter.record() sets the three readings together.
        assert outcome.rss_after_kb is not None and outcome.hwm_kb is not None
        lines.append(
            f"Server memory (VmRSS): {outcome.rss_before_kb / KB:.0f} MiB before, {outcome.rss_after_kb / KB:.0f} MiB "
            f"with every session connected (peak {outcome.hwm_kb / KB:.0f} MiB); server CPU {outcome.server_cpu_s:.1f} s "
            f"in {outcome.wall_s:.1f} s; the sessions' own CPU {outcome.client_cpu_s:.1f} s."
        )
    if outcome.warmup_s is not None:
        lines.append(f"Warm-up walk by one session before the start: {outcome.warmup_s:.1f} s.")
    if outcome.think_s:
        lines.append(f"Each session read each page for {outcome.think_s / 2:g}-{outcome.think_s * 1.5:g} s.")
    if outcome.database:
        lines.append("The data was kept in PostgreSQL, each process a host with a data folder of its own.")
    if outcome.ramp_s:
        lines.append(f"The sessions arrived one after another over {outcome.ramp_s:g} s.")
    if outcome.page_p95:
        by_page = ", ".join(f"{page} {seconds(p95)}" for page, p95 in outcome.page_p95.items())
        lines.append(f"Sessions' p95 by page: {by_page}.")
    if outcome.repeated_builds:
        lines.append(f"A map was built again for the same data {outcome.repeated_builds} times.")
    if outcome.sessions_per_replica:
        spread = ", ".join(f"{k}: {v}" for k, v in sorted(outcome.sessions_per_replica.items()))
        lines.append(f"Sessions per replica: {spread}; each session on one replica: {outcome.sticky}.")
    lines += [f"- {error}" for error in outcome.errors]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> Outcome:
    """Start the servers (unless ``--url``), load them, read their logs, stop them."""
    outcome = Outcome(
        args.url or "", args.sessions, args.browsers, args.replicas, args.pages, think_s=args.think, ramp_s=args.ramp
    )
    outcome.database = bool(args.database and args.url is None)
    with ExitStack() as stack:
        cluster: Cluster | None = None
        if args.url is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wanfeng-load-")))
            database = None
            if args.database:
                # A PostgreSQL of the run's own, holding the data: each process a host of its own.
                database = stack.enter_context(throwaway_cluster()).url
                DatabaseStore(database, folder / "importer").import_files(args.data or DEFAULT_DATA_DIR)
                log("the data imported into a PostgreSQL database of the run's own")
            log(f"starting {max(1, args.replicas)} dashboard process(es){' behind nginx' if args.replicas else ''}")
            cluster = stack.enter_context(
                serve(
                    max(1, args.replicas),
                    nginx=bool(args.replicas),
                    data_dir=args.data,
                    folder=folder,
                    options=args.server_option,
                    database=database,
                )
            )
            outcome.url = cluster.url
        sessions = asyncio.run(load(args, outcome.url, cluster, outcome))
        if args.replicas:
            stickiness(outcome, sessions)
        if cluster is not None:
            count_shared_work(outcome, cluster)
    return outcome
