"""The server's own first visitor: the pages most people open first, opened by one session as
soon as the server answers, so that the data is read and checked and the maps are built before
anyone comes (a county's first map after a restart otherwise waits for all of it).

The server says in its log when it is done (``WARMED``): a benchmark, or an operator putting a
host into service, waits for that line rather than for the health check alone.
"""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from streamlit import config
from streamlit.logger import get_logger
from streamlit.runtime import Runtime

from lib.serving.load import PAGES, first_visit

LOG = get_logger("wanfeng")
FIRST_PAGES = [PAGES[0], "map"]  # where a link to the dashboard lands, and the map it is about
WARMED = "warmed up"
ANSWER_WITHIN_S = 120
PAGE_WITHIN_S = 300  # a county's files new to the server are read and checked first


def own_url() -> str:
    """The address this server answers at, from its settings (command line, config.toml)."""
    address = config.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{address}:{config.get_option('server.port')}" + (f"/{base}" if base else "")


def answers(url: str) -> bool:
    """Whether Streamlit's health check at ``url`` says the server is up."""
    with suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
        return response.status == 200
    return False


def warm_up(pages: list[str] = FIRST_PAGES) -> None:
    """Open ``pages`` as a first visitor once the server answers; say in the log how it went."""
    deadline = time.monotonic() + ANSWER_WITHIN_S
    # Asked only once the server runs: before, its settings may not hold the command line's port yet.
    while not (Runtime.exists() and answers(url := own_url())):
        if time.monotonic() > deadline:
            LOG.warning("not warmed up: the server did not answer within %d s", ANSWER_WITHIN_S)
            return
        time.sleep(0.2)
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        failed = asyncio.run(first_visit(url, pages, pool, PAGE_WITHIN_S))
    if failed:
        LOG.warning("not warmed up: %s", "; ".join(failed))
    else:
        LOG.info("%s: %s in %.1f s", WARMED, ", ".join(pages), time.monotonic() - began)


def start_warming() -> threading.Thread:
    """``warm_up`` beside the server, which it never holds up nor keeps from stopping."""
    thread = threading.Thread(target=warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread
