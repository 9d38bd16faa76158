"""Measure the dashboard's map against a naive Folium map of the same data, and write BENCHMARKS.md.

The dashboard publishes each layer once as a compact file, draws large layers on a canvas and
keeps the map between reruns; scripts/measuring/baseline_map.py does what a first Folium map in Streamlit
does. Whether that is worth its code shows only in figures taken on the same machine, in the
same run, on the bundled data and on a county-sized set (made with scripts/data/make_large_data.py):

* time from navigation start to the map drawn, each visit in a browser of its own (cold
  cache), median of ``--runs``; the first visit after a server starts is shown apart;
* bytes sent to the browser while the page opens (every response, iframe included, and every
  websocket frame), and the part for the map (the static/geo layer files and the frames);
* server time of a rerun after a quarter change (Streamlit's AppTest, in a fresh process,
  median of 5) and, in the browser, from choosing the quarter to the script idle (median of 3);
* peak memory of each server (VmHWM), a fresh server per data set;
* the page times of 60 users reading at once, arriving over ten seconds, two processes behind
  nginx (scripts/measuring/load_test.py).

The dashboard's and the bare page's visits alternate; the baseline's come after them, since its
county map keeps the machine busy long after a visit; and a server is left to go quiet before
the next visit, so that none runs in another's shadow (on two cores that matters). Run::

    .venv/bin/python scripts/measuring/benchmark.py [--large FOLDER] [--grids 10000] [--sites 50000]
        [--runs 3] [--out BENCHMARKS.md] [--quick]

``--quick`` measures the bundled data only, once: a smoke test, not figures to quote.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from lib.contract.catalog import LAYERS
from lib.contract.settings import ROOT
from lib.files.loading import load_all
from lib.serving.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, MAP_DRAWN, MAP_FRAME
from lib.serving.processes import free_port, start_dashboard, stop, wait_healthy
from lib.serving.warm import WARMED

VIEWPORT = {"width": 1600, "height": 1000}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
QUARTER_LABEL = "季度"
DRAW_TIMEOUT_S = 120
RERUN_TIMEOUT_S = 180
APPTEST_RERUNS = 5
BROWSER_RERUNS = 3
MB = 1_000_000

# Against a bare Streamlit page (issue 16), on the bundled data and the large set.
TARGET_BARE_RATIO = {"Bundled data": 1.3, "Large set": 1.6}
TARGET_RESTART_RATIO = 2.0  # the first map after a restart on unchanged files, large set
TARGET_READ_KEPT_S = 3.0  # the large set read and checked after a restart on unchanged files
TARGET_PEAK_MIB = 363  # the server's peak memory on the large set, as it was
# Many users reading at once, served as for an intranet (make serve-replicas on two cores).
MANY_USERS, MANY_USERS_REPLICAS, TARGET_USERS_P95_S = 60, 2, 5.0
MANY_USERS_RAMP_S = 10  # seconds over which the users arrive: six a second
# Where BENCHMARKS.md's own words begin: kept by every run.
NOTES_HEADING = "## Where a target is not met"

# Targets, on the large set.
TARGET_DRAW_S = 3.0
TARGET_MAP_BYTES = 10 * MB
TARGET_RERUN_S = 0.3
TARGET_RATIO = 3.0

# The map is drawn: the dashboard's script says so; the baseline's Leaflet holds a layer for every
# feature and has drawn shapes. Either returns the time (ms since the epoch) or false.
DASHBOARD_DRAWN = f"""() => document.querySelector("{MAP_DRAWN}") !== null
    && performance.timeOrigin + performance.now()"""
BASELINE_DRAWN = """(expected) => {
    const map = window.map;
    if (!map || !document.querySelector(".leaflet-overlay-pane path, .leaflet-overlay-pane canvas")) return false;
    let features = 0;
    for (const key in map._layers) if (map._layers[key].feature) features += 1;
    return features >= expected && performance.timeOrigin + performance.now();
}"""
# Marks the first frame painted after the map was found drawn.
PAINTED = """() => { window.__benchPainted = null;
    requestAnimationFrame(() => requestAnimationFrame(() => {
        window.__benchPainted = performance.timeOrigin + performance.now(); })); }"""
# Records when the next pointer press comes and when the script last went idle after running.
ARM_RERUN = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (window.__benchObserver) window.__benchObserver.disconnect();
    const bench = window.__bench = { start: null, running: false, idle: null };
    document.addEventListener("pointerdown", () => { if (bench.start === null) bench.start = performance.now(); },
        { capture: true, once: true });
    // Several changes may come in one batch: a short run is seen by its old value.
    window.__benchObserver = new MutationObserver((records) => {
        const state = app.getAttribute("data-test-script-state");
        if (state !== "notRunning" || records.some((r) => r.oldValue && r.oldValue !== "notRunning")) {
            bench.running = true;
        }
        bench.idle = state === "notRunning" && bench.running ? performance.now() : null;
    });
    window.__benchObserver.observe(app, {
        attributes: true, attributeOldValue: true, attributeFilter: ["data-test-script-state"] });
}"""
RERUN_SETTLED = "() => window.__bench.idle !== null && performance.now() - window.__bench.idle > 500"


# The bare page is shown: its title is on the page.
BARE_DRAWN = """() => document.querySelector("h1") !== null && performance.timeOrigin + performance.now()"""


@dataclass(frozen=True)
class App:
    """An app measured: how to start it, its page and how to tell it is drawn (in the map's
    frame, or for the bare page on the page itself)."""

    name: str
    script: str
    path: str
    drawn: str
    in_frame: bool = True


DASHBOARD = App("dashboard", "scripts/serving/serve.py", "/map?lang=zh", DASHBOARD_DRAWN)
BASELINE = App("baseline", "scripts/measuring/baseline_map.py", "/", BASELINE_DRAWN)
BARE = App("bare", "scripts/measuring/bare_page.py", "/", BARE_DRAWN, in_frame=False)
APPS = (DASHBOARD, BASELINE)  # the two maps; the bare page is only opened beside them


@dataclass
class DataSet:
    """A data folder and what it holds."""

    name: str
    folder: Path
    features: int
    grids: int
    sites: int
    layer_bytes: int


@dataclass
class Visit:
    """One page opening: when the map was drawn (None: not within the timeout) and the bytes."""

    draw_s: float | None
    total_bytes: int
    map_bytes: int
    geo_files: int
    outside: list[str]


@dataclass
class Result:
    """Everything measured for one app on one data set."""

    first: Visit | None = None
    visits: list[Visit] = field(default_factory=list)
    browser_reruns: list[float | None] = field(default_factory=list)
    apptest_reruns: list[float] = field(default_factory=list)
    apptest_error: str | None = None
    peak_kb: int | None = None
    restarted: Visit | None = None  # the first visit after a restart on unchanged files, as it answers
    restarted_warm: Visit | None = None  # … once the server has warmed itself
    warm_s: float | None = None  # from answering to warmed, after that restart
    read_s: tuple[float, float] | None = None  # data read and checked: nothing kept, then kept


def log(message: str) -> None:
    """Progress, on stderr: stdout carries the tables."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- data -------------------------------------------------------------------------------------


def describe(name: str, folder: Path) -> DataSet:
    """Count the features of every layer as the apps will read them."""
    data = load_all(folder)
    frames = {layer.key: data.frame(layer.key) for layer in LAYERS}
    counts = {key: len(frame) for key, frame in frames.items() if frame is not None}
    size = sum((folder / layer.path).stat().st_size for layer in LAYERS if (folder / layer.path).exists())
    return DataSet(name, folder, sum(counts.values()), counts.get("patrol_grids", 0), counts.get("sites", 0), size)


def make_large(folder: Path, grids: int, sites: int) -> None:
    """Write the county-sized set with scripts/data/make_large_data.py."""
    command = [
        sys.executable,
        "scripts/data/make_large_data.py",
        str(folder),
        "--grids",
        str(grids),
        "--sites",
        str(sites),
    ]
    subprocess.run(command, cwd=ROOT, check=True, timeout=600, stdout=sys.stderr)


# --- servers ----------------------------------------------------------------------------------


@contextmanager
def server(app: App, folder: Path, log_dir: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """A fresh server of ``app`` on ``folder`` on a free loopback port, keeping what it reads
    under ``log_dir`` (one cache folder per data set); stopped on leaving."""
    port = free_port()
    log = log_dir / f"{app.name}-{port}.log"
    options = ["--browser.gatherUsageStats", "false"]
    cache = str(log_dir / f"cache-{folder.name}")
    process = start_dashboard(port, log, folder, options, script=ROOT / app.script, WANFENG_CACHE_DIR=cache)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(process, url, log, timeout=60)
        yield process, url
    finally:
        stop(process)


def wait_warmed(log: Path, timeout: float = 300) -> float | None:
    """Seconds until the dashboard's server says in ``log`` it has warmed itself up; None if
    it did not within ``timeout``."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if WARMED in log.read_text(encoding="utf-8", errors="replace"):
            return time.monotonic() - began
        time.sleep(0.1)
    return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_quiet(pid: int, timeout: float = 180) -> None:
    """Wait until a server has used under 5% of a core for a second: a run left over from the
    previous visit would otherwise share the two cores with the next one."""
    deadline = time.monotonic() + timeout
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(pid)
        if now - before < 0.05:
            return
        before = now
    log(f"server {pid} still busy after {timeout:.0f} s")


def cpu_busy(interval: float = 1.0) -> float:
    """The share of the machine's CPU time spent busy over ``interval`` seconds."""

    def sample() -> tuple[int, int]:
        ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # total, idle + iowait

    total, idle = sample()
    time.sleep(interval)
    total2, idle2 = sample()
    return 1 - (idle2 - idle) / max(1, total2 - total)


def wait_machine_quiet(timeout: float = 60, busy: float = 0.25) -> float:
    """Wait (at most ``timeout`` s) until the machine is under ``busy`` load, as other work on
    it slows a visit down; the share last seen."""
    deadline = time.monotonic() + timeout
    share = cpu_busy()
    while share >= busy and time.monotonic() < deadline:
        share = cpu_busy()
    if share >= busy:
        log(f"the machine is {share:.0%} busy with other work: measuring all the same")
    return share


def peak_memory_kb(pid: int) -> int | None:
    """The peak resident memory (VmHWM) of a process, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


# --- browser ----------------------------------------------------------------------------------


class Traffic:
    """Bytes that reach the page, counted from Chromium's own network events (CDP)."""

    def __init__(self, cdp) -> None:
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.frames: list[int] = []
        for event, handler in (
            ("Network.requestWillBeSent", self._request),
            ("Network.loadingFinished", self._finished),
            ("Network.webSocketFrameReceived", self._frame),
        ):
            cdp.on(event, handler)
        cdp.send("Network.enable")

    def _request(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def _frame(self, event: dict) -> None:
        response = event["response"]
        payload = response.get("payloadData", "")
        # Binary frames (Streamlit's protobuf messages) come base64-encoded.
        self.frames.append(len(base64.b64decode(payload)) if response.get("opcode") == 2 else len(payload.encode()))

    def geo_sizes(self) -> list[int]:
        return [size for rid, size in self.sizes.items() if "/app/static/geo/" in self.urls.get(rid, "")]

    def outside(self) -> list[str]:
        """Addresses of any host but this machine that the page asked for."""
        return sorted(
            {
                url
                for url in self.urls.values()
                if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname not in LOCAL_HOSTS
            }
        )


def map_frame(page, deadline: float):
    """The map's frame, once its own document has loaded."""
    handle = page.wait_for_selector(MAP_FRAME, state="attached", timeout=remaining_ms(deadline))
    frame = handle.content_frame()
    frame.wait_for_url("**/component/**", timeout=remaining_ms(deadline))
    return frame


def remaining_ms(deadline: float) -> float:
    """Milliseconds left until ``deadline`` (at least one: Playwright reads 0 as no timeout)."""
    return max(1.0, (deadline - time.monotonic()) * 1000)


def wait_drawn(page, app: App, expected: int, timeout: float) -> float | None:
    """Seconds from navigation start to the first frame painted with the map drawn, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            frame = map_frame(page, deadline) if app.in_frame else page.main_frame
            frame.wait_for_function(app.drawn, arg=expected, polling="raf", timeout=remaining_ms(deadline))
            frame.evaluate(PAINTED)
            painted = frame.wait_for_function("() => window.__benchPainted", timeout=remaining_ms(deadline))
            return (painted.json_value() - page.evaluate("performance.timeOrigin")) / 1000
        except PlaywrightError as error:
            # A frame replaced while the page was still running its script: look again.
            if "Timeout" in type(error).__name__ or time.monotonic() >= deadline:
                return None
            log(f"  retrying after: {str(error).splitlines()[0]}")
    return None


@contextmanager
def own_browser(playwright) -> Iterator:
    """A Chromium of its own for one visit: what a heavy page leaves behind (the baseline's
    40 MB map, still being torn down) does not slow the next visit, whichever app it is."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


def visit(playwright, app: App, url: str, expected: int, timeout: float = DRAW_TIMEOUT_S) -> Visit:
    """Open the map page in a browser of its own (cold cache) and measure it."""
    with own_browser(playwright) as browser:
        return _visit(browser, app, url, expected, timeout)


def _visit(browser, app: App, url: str, expected: int, timeout: float) -> Visit:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        traffic = Traffic(context.new_cdp_session(page))
        page.goto(url + app.path, wait_until="commit")
        draw_s = wait_drawn(page, app, expected, timeout)
        if draw_s is not None:
            with suppress(Exception):
                page.wait_for_selector(IDLE, timeout=30_000)
            page.wait_for_timeout(300)  # events still on their way
        frames = sum(traffic.frames)
        geo = traffic.geo_sizes()
        return Visit(draw_s, sum(traffic.sizes.values()) + frames, sum(geo) + frames, len(geo), traffic.outside())
    finally:
        context.close()


def choose_other_quarter(page) -> None:
    """Open the quarter select box and press an option other than the one chosen."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text=QUARTER_LABEL).first
    options = page.get_by_role("option")
    for attempt in range(3):
        box.click()
        try:
            options.first.wait_for(timeout=10_000)
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            page.wait_for_selector(IDLE, timeout=60_000)
    chosen = options.evaluate_all("(all) => all.map((o) => o.getAttribute('aria-selected') === 'true')")
    page.evaluate(ARM_RERUN)
    options.nth(chosen.index(False)).click()


def browser_reruns(browser, app: App, url: str, expected: int, timeout: float) -> list[float | None]:
    """Seconds from choosing another quarter to the script idle again, ``BROWSER_RERUNS`` times;
    None for a rerun not over within ``timeout`` seconds (and no more tried after it)."""
    context = browser.new_context(viewport=VIEWPORT)
    timings: list[float | None] = []
    try:
        page = context.new_page()
        page.goto(url + app.path, wait_until="commit")
        if wait_drawn(page, app, expected, DRAW_TIMEOUT_S) is None:
            log(f"  {app.name}: map not drawn, reruns timed to the script idle all the same")
        page.wait_for_selector(IDLE, timeout=timeout * 1000)
        for _ in range(BROWSER_RERUNS):
            choose_other_quarter(page)
            page.wait_for_function(RERUN_SETTLED, timeout=timeout * 1000)
            bench = page.evaluate("window.__bench")
            timings.append((bench["idle"] - bench["start"]) / 1000)
    except PlaywrightError as error:
        log(f"  {app.name}: rerun not timed: {str(error).splitlines()[0]}")
        timings.append(None)
    finally:
        context.close()
    return timings


# --- AppTest ----------------------------------------------------------------------------------


def apptest_reruns(app_name: str, repeats: int) -> list[float]:
    """In this process: seconds of ``at.run()`` after each change of quarter, warm."""
    from streamlit.testing.v1 import AppTest

    if app_name == DASHBOARD.name:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.query_params.update(lang="zh")
        at.run()
        at.switch_page("pages/map_page.py")
    else:
        at = AppTest.from_file(str(ROOT / BASELINE.script), default_timeout=600)
    at.run()  # the warm run
    assert not at.exception, [e.message for e in at.exception]
    timings = []
    for _ in range(repeats):
        box = at.selectbox(key="quarter")
        assert box.index is not None, "the quarter box always has a quarter chosen"
        box.select_index((box.index + 1) % len(box.options))
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
        assert not at.exception, [e.message for e in at.exception]
    return timings


def read_times(folder: Path, cache: Path) -> tuple[float, float] | None:
    """Seconds a fresh process takes to read and check ``folder``: with nothing kept, then again
    with what the first kept (a restart on unchanged files)."""
    script = (
        "import sys, time; from pathlib import Path; from lib.files.loading import load_all; "
        "t = time.perf_counter(); load_all(Path(sys.argv[1])); print(time.perf_counter() - t)"
    )
    env = {**os.environ, "WANFENG_CACHE_DIR": str(cache)}
    times = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", script, str(folder)], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            log(f"  reading the data failed: {done.stderr.strip().splitlines()[-1:]}")
            return None
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return times[0], times[1]


def apptest_in_subprocess(app: App, folder: Path) -> tuple[list[float], str | None]:
    """Run ``apptest_reruns`` in a fresh process on ``folder``: no cache shared with another app."""
    env = {**os.environ, "WANFENG_DATA_DIR": str(folder)}
    command = [sys.executable, __file__, "--apptest", app.name]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        return [], "did not finish within 30 min"
    if done.returncode != 0:
        return [], (done.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(done.stdout.strip().splitlines()[-1]), None


# --- one data set -----------------------------------------------------------------------------


def measure(
    playwright, data: DataSet, runs: int, log_dir: Path, patience: float, rerun_timeout: float
) -> tuple[dict[str, Result], float]:
    """Every figure of both apps on one data set, with fresh servers; and how busy the machine
    was with other work before the browser measurements (mean share), each of which waits up to
    ``patience`` seconds for the machine to go quiet."""
    results = {app.name: Result() for app in (*APPS, BARE)}
    busy: list[float] = []
    with (
        server(DASHBOARD, data.folder, log_dir) as dash,
        server(BASELINE, data.folder, log_dir) as base,
        server(BARE, data.folder, log_dir) as bare,
    ):
        servers = {DASHBOARD.name: dash, BASELINE.name: base, BARE.name: bare}

        def quiet() -> None:
            if patience:  # a smoke test does not wait for the servers to go quiet
                for process, _url in servers.values():
                    wait_quiet(process.pid)
            busy.append(wait_machine_quiet(patience))

        for app in (*APPS, BARE):
            if app is not DASHBOARD:  # the dashboard's first visitor comes as it answers, warming itself
                quiet()
            log(f"{data.name}: {app.name} first visit after the server started")
            results[app.name].first = visit(playwright, app, servers[app.name][1], data.features)
        alternating = [(app, run) for run in range(runs) for app in (DASHBOARD, BARE)]
        for app, run in alternating + [(BASELINE, run) for run in range(runs)]:
            quiet()
            found = visit(playwright, app, servers[app.name][1], data.features)
            results[app.name].visits.append(found)
            log(f"{data.name}: {app.name} run {run + 1}: drawn {seconds(found.draw_s)}, {megabytes(found.total_bytes)}")
        for app in APPS:
            quiet()
            with own_browser(playwright) as browser:
                results[app.name].browser_reruns = browser_reruns(
                    browser, app, servers[app.name][1], data.features, rerun_timeout
                )
            log(f"{data.name}: {app.name} browser reruns {results[app.name].browser_reruns}")
        quiet()
        for app in APPS:
            results[app.name].peak_kb = peak_memory_kb(servers[app.name][0].pid)
    # Restarts on the same files: the dashboard reads what it kept of them. A visitor who comes
    # as the server answers, and one who comes once it has warmed itself (lib.serving.warm).
    restarts = results[DASHBOARD.name]
    with server(DASHBOARD, data.folder, log_dir) as (process, url):
        log(f"{data.name}: dashboard first visit after a restart, its files unchanged")
        restarts.restarted = visit(playwright, DASHBOARD, url, data.features)
    with server(DASHBOARD, data.folder, log_dir) as (process, url):
        restarts.warm_s = wait_warmed(log_dir / f"{DASHBOARD.name}-{urlparse(url).port}.log")
        if patience:
            wait_quiet(process.pid)
        busy.append(wait_machine_quiet(patience))
        log(f"{data.name}: dashboard first visit after a restart, warmed up in {seconds(restarts.warm_s)}")
        restarts.restarted_warm = visit(playwright, DASHBOARD, url, data.features)
    results[DASHBOARD.name].read_s = read_times(data.folder, log_dir / f"read-{data.folder.name}")
    for app in APPS:
        log(f"{data.name}: {app.name} AppTest reruns")
        timings, error = apptest_in_subprocess(app, data.folder)
        results[app.name].apptest_reruns, results[app.name].apptest_error = timings, error
    return results, statistics.mean(busy)


# --- report -----------------------------------------------------------------------------------


def median(values: Sequence[float | None]) -> float | None:
    """The median, a value that is None counting as longer than any; None if that is the median."""
    if not values:
        return None
    ordered = sorted(values, key=lambda v: float("inf") if v is None else v)
    middle = ordered[(len(ordered) - 1) // 2 : len(ordered) // 2 + 1]
    if None in middle:
        return None
    return statistics.mean([v for v in middle if v is not None])


def seconds(value: float | None, timeout: float = DRAW_TIMEOUT_S) -> str:
    return f"did not draw within {timeout:.0f} s" if value is None else f"{value:.2f} s"


def megabytes(value: float) -> str:
    return f"{value / MB:.2f} MB"


def ratio(baseline: float | None, dashboard: float | None, timeout: float = DRAW_TIMEOUT_S) -> tuple[str, float | None]:
    """Baseline over dashboard as text and number; a baseline that timed out gives a lower bound."""
    if dashboard is None or dashboard <= 0:
        return "n/a", None
    if baseline is None:
        return f">= {timeout / dashboard:.1f}x ({timeout:.0f}/{dashboard:.2f})", timeout / dashboard
    return f"{baseline / dashboard:.1f}x", baseline / dashboard


@dataclass
class Summary:
    """The medians of one app on one data set."""

    draw: float | None
    first: float | None
    total: float
    map: float
    geo_files: int
    apptest: float | None
    browser: float | None
    peak_kb: int | None
    outside: int
    apptest_error: str | None
    bytes_partial: bool


def summarise(result: Result) -> Summary:
    visits = result.visits
    drawn = [v for v in visits if v.draw_s is not None] or visits
    return Summary(
        draw=median([v.draw_s for v in visits]),
        first=result.first.draw_s if result.first else None,
        total=statistics.median([v.total_bytes for v in drawn]),
        map=statistics.median([v.map_bytes for v in drawn]),
        geo_files=max((v.geo_files for v in drawn), default=0),
        apptest=median(result.apptest_reruns) if result.apptest_reruns else None,
        browser=median(result.browser_reruns) if result.browser_reruns else None,
        peak_kb=result.peak_kb,
        outside=sum(len(v.outside) for v in [*visits, *([result.first] if result.first else [])]),
        apptest_error=result.apptest_error,
        bytes_partial=all(v.draw_s is None for v in visits),
    )


def data_table(data: DataSet, results: dict[str, Result], runs: int, busy: float) -> tuple[str, dict[str, Summary]]:
    """The Markdown table of one data set, and the medians it shows."""
    dash, base = summarise(results[DASHBOARD.name]), summarise(results[BASELINE.name])
    # Bytes of visits whose map never drew are those sent until the timeout: at least that.
    at_least = "≥ " if base.bytes_partial else ""

    def row(label: str, d: str, b: str, r: str = "") -> str:
        return f"| {label} | {d} | {b} | {r} |"

    def rerun_text(value: float | None, error: str | None) -> str:
        if error:
            return f"failed: {error}"
        return f"not over within {RERUN_TIMEOUT_S} s" if value is None else f"{value:.3f} s"

    lines = [
        f"### {data.name}: {data.grids:,} patrol grids, {data.sites:,} sites ({data.features:,} features, "
        f"{megabytes(data.layer_bytes)} of GeoJSON)",
        "",
        "| Measure | Dashboard | Baseline | Baseline / dashboard |",
        "|---|---|---|---|",
        row(f"Map drawn, from navigation start (median of {runs}, cold browser cache)", seconds(dash.draw),
            seconds(base.draw), ratio(base.draw, dash.draw)[0]),
        row("Map drawn, first visit after the server started", seconds(dash.first), seconds(base.first),
            ratio(base.first, dash.first)[0]),
        row("Bytes sent to the browser while opening the page", megabytes(dash.total), at_least + megabytes(base.total),
            at_least + ratio(base.total, dash.total)[0]),
        row("… of which for the map (layer files + websocket frames)", megabytes(dash.map),
            at_least + megabytes(base.map), at_least + ratio(base.map, dash.map)[0]),
        row("Layer files fetched (static/geo)", str(dash.geo_files), str(base.geo_files)),
        row(f"Rerun after a quarter change, server (AppTest, median of {APPTEST_RERUNS})",
            rerun_text(dash.apptest, dash.apptest_error), rerun_text(base.apptest, base.apptest_error),
            ratio(base.apptest, dash.apptest)[0] if dash.apptest and base.apptest else "n/a"),
        row(f"Rerun after a quarter change, browser: choice to script idle (median of {BROWSER_RERUNS})",
            rerun_text(dash.browser, None), rerun_text(base.browser, None),
            ratio(base.browser, dash.browser)[0] if dash.browser and base.browser else "n/a"),
        row("Peak memory of the server (VmHWM)", memory(dash.peak_kb), memory(base.peak_kb)),
        row("Requests to any outside host", str(dash.outside), str(base.outside)),
        "",
        f"The machine was {busy:.0%} busy with other work (mean) when the browser measurements began.",
    ]  # fmt: skip
    return "\n".join(lines), {DASHBOARD.name: dash, BASELINE.name: base}


def bare_table(data: DataSet, results: dict[str, Result], runs: int) -> str:
    """The dashboard against a bare Streamlit page on one data set, each figure with its target."""
    bare = median([v.draw_s for v in results[BARE.name].visits])
    dash = results[DASHBOARD.name]
    large = data.name == "Large set"

    def judged(value: float | None, limit: float | None, unit: str = "x") -> str:
        if limit is None:
            return ""
        if value is None:
            return f"≤ {limit:g}{unit}: not measured"
        return f"≤ {limit:g}{unit}: {'met' if value <= limit else 'not met'}"

    drawn = median([v.draw_s for v in dash.visits])
    first = dash.first.draw_s if dash.first else None
    restarted = dash.restarted.draw_s if dash.restarted else None
    warmed = dash.restarted_warm.draw_s if dash.restarted_warm else None
    read = dash.read_s
    peak = None if dash.peak_kb is None else dash.peak_kb / 1024

    def ratio_of(value: float | None) -> float | None:
        return None if value is None or not bare else value / bare

    def times_bare(value: float | None) -> str:
        times = ratio_of(value)
        return "n/a" if times is None else f"{times:.2f}x"

    rows = [
        (f"Bare Streamlit page shown (one title), median of {runs}", seconds(bare), "1.00x", ""),
        (f"Dashboard map drawn (median of {runs})", seconds(drawn), times_bare(drawn),
         judged(ratio_of(drawn), TARGET_BARE_RATIO.get(data.name))),
        ("Dashboard map, first visit after the server started on files new to it, as it answers", seconds(first), times_bare(first), ""),
        ("Dashboard map, first visit after a restart on unchanged files, as the server answers", seconds(restarted),
         times_bare(restarted), ""),
        ("Server warmed itself after that restart (data read, overview and map opened), from answering",
         seconds(dash.warm_s), "", ""),
        ("Dashboard map, first visit after a restart on unchanged files, once warmed", seconds(warmed),
         times_bare(warmed), judged(ratio_of(warmed), TARGET_RESTART_RATIO if large else None)),
        ("Data read and checked by a fresh process, files new to it", "n/a" if read is None else f"{read[0]:.2f} s", "", ""),
        ("… after a restart on unchanged files (read from what it kept)", "n/a" if read is None else f"{read[1]:.2f} s", "",
         judged(None if read is None else read[1], TARGET_READ_KEPT_S if large else None, " s")),
        ("Peak memory of the dashboard's server (VmHWM)", memory(dash.peak_kb), "",
         judged(peak, TARGET_PEAK_MIB if large else None, " MiB")),
    ]  # fmt: skip
    return "\n".join(
        [
            f"#### {data.name}: against a bare Streamlit page",
            "",
            "| Measure | Measured | × bare page | Target |",
            "|---|---|---|---|",
            *(f"| {label} | {value} | {times} | {target} |" for label, value, times, target in rows),
        ]
    )


def many_users(folder: Path, out: Path) -> dict | None:
    """The load test's figures for ``MANY_USERS`` users reading every page (each 5-15 s) of the
    data in ``folder``, served as for an intranet (``make serve-replicas``: two processes behind
    nginx); None, said on stderr, when it did not run."""
    log(f"{MANY_USERS} users reading, {MANY_USERS_REPLICAS} processes behind nginx")
    command = [sys.executable, str(ROOT / "scripts" / "measuring" / "load_test.py"), "--sessions", str(MANY_USERS)]
    command += ["--replicas", str(MANY_USERS_REPLICAS), "--think", "10", "--ramp", str(MANY_USERS_RAMP_S)]
    command += ["--data", str(folder), "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if not out.exists():
        log(f"the load test did not run (exit {done.returncode}):\n{done.stderr[-2000:]}")
        return None
    return json.loads(out.read_text(encoding="utf-8"))


def users_table(outcome: dict | None) -> str:
    """The many users' page times, against their target."""
    header = ["| Measure | Measured | Target |", "|---|---|---|"]
    if outcome is None:
        return "\n".join([*header, f"| {MANY_USERS} users reading | not measured (see the log) | |"])
    pages, p95 = outcome["protocol"], outcome["protocol"]["p95"]
    rows = [
        ("Pages complete", f"{outcome['complete']} / {outcome['complete'] + outcome['failed']}", "all"),
        ("Page time p50 / p95 / max (sessions)", " / ".join(seconds(pages[k]) for k in ("p50", "p95", "max")),
         f"p95 < {TARGET_USERS_P95_S:g} s: {'met' if p95 is not None and p95 < TARGET_USERS_P95_S else 'not met'}"),
        ("… p95 by page", ", ".join(f"{page} {seconds(v)}" for page, v in outcome["page_p95"].items()), ""),
        ("Chromium tabs alongside, p95", seconds(outcome["browser"]["p95"]) if outcome["browsers"] else "—", ""),
        ("CPU for the walk: servers / the load generator", f"{outcome['server_cpu_s']:.1f} s / {outcome['client_cpu_s']:.1f} s", ""),
    ]  # fmt: skip
    return "\n".join(
        [
            f"### Many users: {MANY_USERS} reading at once, bundled data, {MANY_USERS_REPLICAS} processes behind nginx",
            "",
            f"`scripts/measuring/load_test.py --sessions {MANY_USERS} --replicas {MANY_USERS_REPLICAS} --think 10 "
            f"--ramp {MANY_USERS_RAMP_S}` (docs/robustness.md says how a session walks): the users arrive one after "
            f"another over {MANY_USERS_RAMP_S} s, each opens every page and reads it 5-15 s; the load generator and "
            "two Chromium tabs share the machine's cores with the servers.",
            "",
            *header,
            *(f"| {label} | {value} | {target} |" for label, value, target in rows),
        ]
    )


def memory(value: int | None) -> str:
    """kB as MiB."""
    return "n/a" if value is None else f"{value / 1024:.0f} MiB"


def targets_table(large: dict[str, Summary] | None) -> str:
    """The targets on the large set, each met or not met."""
    header = ["| Target (large set) | Measured | Met? |", "|---|---|---|"]
    if large is None:
        return "\n".join([*header, "| (not measured: no large set in this run) | | |"])
    dash, base = large[DASHBOARD.name], large[BASELINE.name]
    draw_ratio = ratio(base.draw, dash.draw)
    bytes_ratio = ratio(base.map, dash.map)
    at_least = "≥ " if base.bytes_partial else ""

    def met(ok: bool | None) -> str:
        return "met" if ok else "not met"

    rows = [
        (f"Map drawn within {TARGET_DRAW_S:.0f} s", seconds(dash.draw), dash.draw is not None and dash.draw <= TARGET_DRAW_S),
        (f"At most {TARGET_MAP_BYTES / MB:.0f} MB sent for the map", megabytes(dash.map), dash.map <= TARGET_MAP_BYTES),
        (f"Rerun under {TARGET_RERUN_S} s (server, AppTest)", "n/a" if dash.apptest is None else f"{dash.apptest:.3f} s",
         dash.apptest is not None and dash.apptest < TARGET_RERUN_S),
        (f"At least {TARGET_RATIO:.0f}x faster to draw than the baseline", draw_ratio[0],
         draw_ratio[1] is not None and draw_ratio[1] >= TARGET_RATIO),
        (f"At least {TARGET_RATIO:.0f}x fewer bytes for the map than the baseline", at_least + bytes_ratio[0],
         bytes_ratio[1] is not None and bytes_ratio[1] >= TARGET_RATIO),
    ]  # fmt: skip
    return "\n".join([*header, *(f"| {name} | {value} | {met(ok)} |" for name, value, ok in rows)])


def machine(browser_version: str) -> list[str]:
    """What the figures were taken on."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    os_name = platform.platform()
    with suppress(OSError):
        release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        os_name = f"{release.get('PRETTY_NAME', '?').strip(chr(34))}, kernel {platform.release()}"
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("streamlit", "folium", "streamlit-folium"))
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM: {int(memory) / 1024**2:.1f} GiB",
        f"- OS: {os_name}; Python {platform.python_version()}; Chromium {browser_version} (headless)",
        f"- {versions}",
    ]


def report(
    when: datetime,
    browser_version: str,
    runs: int,
    tables: list[str],
    large: dict[str, Summary] | None,
    quick: bool,
    users: str | None = None,
) -> str:
    """BENCHMARKS.md."""
    lines = [
        "# Map benchmarks: the dashboard against a naive Folium map",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} by `scripts/measuring/benchmark.py`{' (--quick: a smoke test, not figures to quote)' if quick else ''}.",
        "",
        *machine(browser_version),
        "",
        "## How to run",
        "",
        "```",
        ".venv/bin/python scripts/measuring/benchmark.py [--large FOLDER] [--grids 10000] [--sites 50000] [--runs 3] [--out BENCHMARKS.md]",
        "```",
        "",
        "Without `--large` the county-sized set is generated into a temporary folder with "
        "`scripts/data/make_large_data.py`. The dashboard is `scripts/serving/serve.py` (page `/map?lang=zh`); the baseline is "
        "`scripts/measuring/baseline_map.py`: one plain `folium.GeoJson` per layer (raw geometry, every property, a tooltip "
        "of the name), rebuilt on every run, a default `st_folium` call, Leaflet served by the app itself, and "
        "the data read once and cached. Both read the same folder, each from a fresh server per data set, "
        "visits alternating, in Debian's Chromium at 1600×1000.",
        "",
        f"- *Map drawn*: from navigation start to the first frame painted once the map is drawn: for the dashboard "
        f'`body[data-map-drawn="true"]` in the map\'s frame (every layer fetched and drawn), for the baseline shapes '
        f"in Leaflet's overlay pane and a Leaflet layer for every feature. Each visit in a browser of its own (cold cache); "
        f"{DRAW_TIMEOUT_S} s at most.",
        "- *Bytes*: every response to the page and its map frame (CDP `Network.loadingFinished` encodedDataLength: "
        "as sent, headers included, gzipped layer files as gzip) plus the payload of every websocket frame received "
        "(binary frames decoded from base64), until the map is drawn and the script idle. *For the map*: the "
        "`static/geo` layer files plus all websocket frames (the baseline's map travels in them).",
        f"- *Rerun, server*: Streamlit's AppTest in a fresh process, the map page warmed with one run, then the "
        f"quarter changed and `at.run()` timed, median of {APPTEST_RERUNS}. The baseline's quarter changes nothing "
        f"on its map; the dashboard's highlights the quarter. *Rerun, browser*: from pressing another quarter in "
        f"the sidebar to the script idle again, median of {BROWSER_RERUNS}.",
        "- *Peak memory*: VmHWM of the server process after all its visits.",
        "- *Against a bare Streamlit page*: `scripts/measuring/bare_page.py` (one `st.title`) served and opened the same "
        "way, in the same run, visits alternating with the maps': shown when its title is on the page. The dashboard "
        "keeps what it read of a large layer (`lib/files/parsed.py`); *after a restart* a fresh server on the same "
        "files, and *read and checked* `load_all` timed in a fresh process, first with nothing kept, then again.",
        "",
        "## Results",
        "",
    ]
    for table in tables:
        lines += [table, ""]
    if users:
        lines += [users, ""]
    lines += ["## Targets", "", targets_table(large), ""]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


def run_benchmark(args: argparse.Namespace) -> int:
    """Measure every data set and write the report."""
    when = datetime.now()
    with tempfile.TemporaryDirectory(prefix="wanfeng-bench-") as temp:
        temp_dir = Path(temp)
        sets = [describe("Bundled data", ROOT / "data")]
        if not args.quick:
            folder = args.large
            if folder is None:
                folder = temp_dir / "large"
                log(f"generating the large set ({args.grids} grids, {args.sites} sites)")
                make_large(folder, args.grids, args.sites)
            sets.append(describe("Large set", Path(folder).resolve()))
        runs = 1 if args.quick else args.runs
        tables: list[str] = []
        large: dict[str, Summary] | None = None
        with sync_playwright() as playwright:
            with own_browser(playwright) as browser:
                version = browser.version
            for data in sets:
                # A smoke test does not wait out a rerun that never settles: it is reported as not timed.
                patience, rerun_timeout = (0, 30) if args.quick else (60, RERUN_TIMEOUT_S)
                results, busy = measure(playwright, data, runs, temp_dir, patience, rerun_timeout)
                table, summary = data_table(data, results, runs, busy)
                tables.append(table + "\n\n" + bare_table(data, results, runs))
                if data.name == "Large set":
                    large = summary
        users = None if args.quick else users_table(many_users(ROOT / "data", temp_dir / "users.json"))
    text = report(when, version, runs, tables, large, args.quick, users) + kept_notes(args.out)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.out}")
    return 0


def kept_notes(out: Path) -> str:
    """The section of ``out`` written by hand (why a target is not met, what to do next), kept
    as it is when the figures above it are measured again."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    start = text.find(NOTES_HEADING)
    return "" if start < 0 else "\n" + text[start:]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=Path, help="a county-sized data folder (default: generate one)")
    parser.add_argument("--grids", type=int, default=10_000, help="grids of the generated set")
    parser.add_argument("--sites", type=int, default=50_000, help="sites of the generated set")
    parser.add_argument("--runs", type=int, default=3, help="visits per app and data set (median)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true", help="bundled data only, one run: a smoke test")
    parser.add_argument("--apptest", choices=[app.name for app in APPS], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.apptest:
        # The child process of apptest_in_subprocess: one line of JSON.
        print(json.dumps(apptest_reruns(args.apptest, APPTEST_RERUNS)))
        return 0
    return run_benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
