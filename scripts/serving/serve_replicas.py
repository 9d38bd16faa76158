"""Serve the dashboard from several processes behind nginx (lib.serving.replicas). Run::

    .venv/bin/python scripts/serving/serve_replicas.py [--replicas 2] [--port 8501] [--address 0.0.0.0]
        [--data FOLDER] [--dir FOLDER] [STREAMLIT OPTIONS, e.g. --server.maxUploadSize 20]

``--replicas`` defaults to the number of cores; nginx listens on every interface at 8501, as
``make run`` does (the processes themselves only on loopback). Other options go to every
process, as scripts/serving/serve.py takes them. The processes' logs and nginx's files go to
``--dir`` (default: a temporary folder, removed on exit). Ctrl-C stops everything. The data
folder is ``--data``, else ``WANFENG_DATA_DIR``, else the bundled ``data/``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from lib.serving.replicas import serve


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
            nginx = cluster.nginx
            assert nginx is not None, "serve() puts nginx in front unless told not to"
            while all(replica.process.poll() is None for replica in cluster.replicas) and nginx.poll() is None:
                time.sleep(1)
            print("a process stopped: stopping all", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
