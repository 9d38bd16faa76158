"""Serve the dashboard from several processes behind nginx: an intranet server for many users.

One Streamlit process runs every user's script on about one core (Python's GIL): K processes
on loopback ports share the data folder, and Debian's nginx, started here as a normal process
with its own folder, spreads users over them on one address. Each user stays with one process
(deploy/nginx.conf: a route cookie). Run::

    .venv/bin/python scripts/serve_replicas.py [--replicas 2] [--port 8501] [--address 0.0.0.0]
        [--data FOLDER] [--dir FOLDER] [STREAMLIT OPTIONS, e.g. --server.maxUploadSize 20]

``--replicas`` defaults to the number of cores; nginx listens on every interface at 8501, as
``make run`` does (the processes themselves only on loopback). Other options go to every
process, as scripts/serve.py takes them. The processes' logs and nginx's files go to ``--dir``
(default: a temporary folder, removed on exit). Ctrl-C stops everything. The data folder is
``--data``, else ``WANFENG_DATA_DIR``, else the bundled ``data/``: every process reads it, a
save made through one is seen by all at their next rerun (the cache key is the files'
signature), and the map's layer files under ``static/`` are written atomically by whichever
process builds them first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 15


@dataclass
class Replica:
    """One dashboard process: its loopback address and log."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """As nginx names it in ``$upstream_addr``."""
        return f"127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """The dashboard processes and, in front of them, nginx (None: a single process served directly)."""

    replicas: list[Replica]
    url: str
    nginx: subprocess.Popen | None = None
    folder: Path | None = None

    @property
    def pids(self) -> list[int]:
        return [replica.process.pid for replica in self.replicas]


def free_port(address: str = "127.0.0.1") -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    """Debian's nginx, wherever PATH finds it (it lives in /usr/sbin, not on every user's PATH)."""
    found = shutil.which("nginx")
    return found or next((path for path in NGINX_CANDIDATES if Path(path).exists()), None)


def start_replica(port: int, log: Path, data_dir: Path | None, options: list[str]) -> Replica:
    """Start one dashboard process (scripts/serve.py) on a loopback port; does not wait for it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if data_dir is not None:
        env["WANFENG_DATA_DIR"] = str(data_dir)
    command = [sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", *options]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    return Replica(process, port, log)


def wait_healthy(process: subprocess.Popen, url: str, log: Path, timeout: float = START_TIMEOUT_S) -> None:
    """Wait until ``url`` answers Streamlit's health check; raise, with the end of ``log``, if
    the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"the process serving {url} exited with {process.returncode}:\n{tail}")
        with suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def nginx_config(listen: str, replicas: list[Replica], prefix: Path, work: Path) -> str:
    """deploy/nginx.conf with its blanks filled in."""
    servers = "\n        ".join(f"server {replica.address};" for replica in replicas)
    blanks = {"@LISTEN@": listen, "@SERVERS@": servers, "@PREFIX@": str(prefix), "@WORK@": str(work)}
    text = TEMPLATE.read_text(encoding="utf-8")
    for blank, value in blanks.items():
        text = text.replace(blank, value)
    return text


def start_nginx(listen: str, replicas: list[Replica], prefix: Path, work: Path) -> subprocess.Popen:
    """Debian's nginx in the foreground: its config, pid and logs under ``prefix``, its temporary
    files and cache under ``work``."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed: apt-get install nginx (make test installs it)")
    prefix.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(listen, replicas, prefix, work), encoding="utf-8")
    # -e: the error log from the start, before the config is read (else /var/log/nginx, root's).
    command = [binary, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log"), "-g", "daemon off;"]
    with (prefix / "nginx.out").open("w") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)


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


@contextmanager
def serve(
    count: int,
    *,
    data_dir: Path | None = None,
    nginx: bool = True,
    port: int | None = None,
    address: str = "127.0.0.1",
    folder: Path | None = None,
    options: list[str] | None = None,
) -> Iterator[Cluster]:
    """``count`` dashboard processes, behind nginx on ``address:port`` (``nginx=False``: one process,
    served directly); all stopped on leaving."""
    if not nginx and count != 1:
        raise ValueError("without nginx there is one process")
    temporary = folder is None
    folder = Path(tempfile.mkdtemp(prefix="wanfeng-replicas-")) if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    # nginx started by root runs its workers as nobody: their files go where nobody can write,
    # whatever the folder of the logs.
    work = Path(tempfile.mkdtemp(prefix="wanfeng-nginx-"))
    work.chmod(0o755)
    replicas: list[Replica] = []
    proxy: subprocess.Popen | None = None
    try:
        # Started together: each spends seconds importing before it listens.
        for index in range(count):
            replica_port = free_port() if nginx or port is None else port
            replicas.append(start_replica(replica_port, folder / f"replica-{index + 1}.log", data_dir, options or []))
        for replica in replicas:
            wait_healthy(replica.process, replica.url, replica.log)
        url = replicas[0].url
        if nginx:
            listen_port = port or free_port(address)
            proxy = start_nginx(f"{address}:{listen_port}", replicas, folder / "nginx", work)
            url = f"http://{'127.0.0.1' if address == '0.0.0.0' else address}:{listen_port}"
            wait_healthy(proxy, url, folder / "nginx" / "nginx.out", timeout=30)
        yield Cluster(replicas, url, proxy, folder)
    finally:
        for process in [proxy, *(replica.process for replica in replicas)]:
            if process is not None:
                stop(process)
        shutil.rmtree(work, ignore_errors=True)
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 2, help="dashboard processes")
    parser.add_argument("--port", type=int, default=8501, help="the port users open (nginx's)")
    parser.add_argument(
        "--address", default="0.0.0.0", help="where nginx listens (default: every interface, as `make run`)"
    )
    parser.add_argument("--data", type=Path, help="the data folder (default: WANFENG_DATA_DIR or data/)")
    parser.add_argument("--dir", type=Path, help="the processes' and nginx's logs (default: a temporary folder)")
    args, options = parser.parse_known_args(argv)
    args.options = options
    return args


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (kill, systemd) stops everything as Ctrl-C does, through the ``finally`` of serve()."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.replicas < 1:
        raise SystemExit("--replicas must be at least 1")
    signal.signal(signal.SIGTERM, _interrupt)
    data_dir = args.data.resolve() if args.data else None
    try:
        with serve(
            args.replicas,
            data_dir=data_dir,
            port=args.port,
            address=args.address,
            folder=args.dir,
            options=args.options,
        ) as cluster:
            where = (
                f"http://<this machine>:{args.port}, here {cluster.url}" if args.address == "0.0.0.0" else cluster.url
            )
            print(f"The dashboard: {where} ({len(cluster.replicas)} processes behind nginx)", flush=True)
            print(f"Logs: {cluster.folder}/replica-*.log and {cluster.folder}/nginx/. Ctrl-C stops.", flush=True)
            while all(replica.process.poll() is None for replica in cluster.replicas) and cluster.nginx.poll() is None:
                time.sleep(1)
            print("a process stopped: stopping all", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
