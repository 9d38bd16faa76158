"""Dashboard processes on loopback ports: started, waited for, stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

from lib.contract.settings import ROOT

SERVE = ROOT / "scripts" / "serving" / "serve.py"
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 15


def free_port(address: str = "127.0.0.1") -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def start_dashboard(
    port: int,
    log: Path | None = None,
    data_dir: Path | None = None,
    options: list[str] | None = None,
    script: Path = SERVE,
    **settings: str,
) -> subprocess.Popen:
    """Start ``script`` (the dashboard's server) on a loopback port with ``settings`` in its
    environment, its output to ``log`` (None: dropped); does not wait for it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **settings}
    if data_dir is not None:
        env["WANFENG_DATA_DIR"] = str(data_dir)
    command = [sys.executable, str(script), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", *(options or [])]
    if log is None:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with log.open("w") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_healthy(
    process: subprocess.Popen, url: str, log: Path | None = None, timeout: float = START_TIMEOUT_S
) -> None:
    """Wait until ``url`` answers Streamlit's health check; raise, with the end of ``log``, if
    the process exits first or does not answer in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"the process serving {url} exited with {process.returncode}:\n{tail}")
        with suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Terminate a process we started, and kill it if it does not go."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)
