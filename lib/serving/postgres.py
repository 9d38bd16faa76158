"""A PostgreSQL cluster of its own, for the tests and the load test: Debian's ``initdb`` and
``pg_ctl`` in a temporary folder, listening on a free loopback port, removed when done. It can
be stopped and started again, as a database server that goes away for a while."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from lib.serving.processes import free_port

DEBIAN_CLUSTERS = Path("/usr/lib/postgresql")
USER = "wanfeng"


def binaries() -> Path | None:
    """The newest of Debian's PostgreSQL servers installed (its ``bin`` folder), or None."""
    found = sorted(DEBIAN_CLUSTERS.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


@dataclass
class Cluster:
    """A running throw-away cluster: its address, and how to stop and start it again."""

    url: str
    folder: Path
    port: int
    bin: Path

    def _ctl(self, *args: str) -> None:
        log = self.folder / "server.log"
        _run(self.bin / "pg_ctl", "-D", str(self.folder / "data"), "-l", str(log), "-w", *args)

    def stop(self) -> None:
        """Stop the server at once, as a host that fails would (no shutdown checkpoint)."""
        self._ctl("-m", "immediate", "stop")

    def start(self) -> None:
        """Start it again on the same port and files."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "start")


def _run(*command: str | Path) -> None:
    """Run a PostgreSQL program, as its own user when this is root (the server refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *map(str, command)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A new, empty cluster; stopped and removed on leaving. RuntimeError when PostgreSQL is
    not installed (``apt-get install postgresql``)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (make test does)")
    folder = Path(tempfile.mkdtemp(prefix="wanfeng-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    cluster = Cluster(f"postgresql://{USER}@127.0.0.1:{port}/postgres", folder, port, bin_dir)
    try:
        _run(bin_dir / "initdb", "-D", folder / "data", "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C")
        cluster.start()
        yield cluster
    finally:
        with suppress(RuntimeError):  # never started, or stopped already
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
