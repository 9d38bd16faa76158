"""Several dashboard processes behind nginx: an intranet server for many users.

One Streamlit process runs every user's script on about one core (Python's GIL): K processes
on loopback ports share the data folder, and Debian's nginx, started here as a normal process
with its own folder, spreads users over them on one address. Each user stays with one process
(deploy/nginx.conf: a route cookie). A save made through one process is seen by all at their
next rerun (the cache key is the files' signature), and the map's layer files under
``static/`` are written atomically by whichever process builds them first.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lib.contract.settings import ROOT
from lib.serving.processes import SERVE, free_port, start_dashboard, stop, wait_healthy

TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")


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


def nginx_binary() -> str | None:
    """Debian's nginx, wherever PATH finds it (it lives in /usr/sbin, not on every user's PATH)."""
    found = shutil.which("nginx")
    return found or next((path for path in NGINX_CANDIDATES if Path(path).exists()), None)


def start_replica(port: int, log: Path, data_dir: Path | None, options: list[str], **settings: str) -> Replica:
    """Start one dashboard process on a loopback port with ``settings``; does not wait for it."""
    return Replica(start_dashboard(port, log, data_dir, options, SERVE, **settings), port, log)


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
    database: str | None = None,
) -> Iterator[Cluster]:
    """``count`` dashboard processes, behind nginx on ``address:port`` (``nginx=False``: one process,
    served directly); all stopped on leaving. With ``database`` (a PostgreSQL address) they
    share it as servers on separate hosts would, each with a data folder of its own under
    ``folder`` (``host-1``, ``host-2``, …)."""
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
            log = folder / f"replica-{index + 1}.log"
            if database:
                host = folder / f"host-{index + 1}"
                settings = {"WANFENG_DATABASE_URL": database}
                replicas.append(start_replica(replica_port, log, host, options or [], **settings))
            else:
                replicas.append(start_replica(replica_port, log, data_dir, options or []))
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
