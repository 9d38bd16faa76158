"""Add, change or remove the editors who may sign in to change the data.

    python scripts/editors.py add NAME       # asks for the password twice
    python scripts/editors.py remove NAME
    python scripts/editors.py list

The hashed passwords are kept at WANFENG_EDITORS_FILE, by default
~/.config/wanfeng-dashboard/editors.json: outside the repository, never committed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.auth import editors_file, read_editors, remove_editor, set_password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Manage the dashboard's editors.")
    parser.add_argument("action", choices=["add", "remove", "list"])
    parser.add_argument("name", nargs="?")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    args = parser.parse_args(argv)
    path = editors_file()
    if args.action == "list":
        print("\n".join(read_editors(path)) or "(no editors)")
        return 0
    if not args.name:
        parser.error("a name is needed")
    if args.action == "remove":
        remove_editor(path, args.name)
        print(f"removed {args.name} from {path}")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            print("the two passwords differ", file=sys.stderr)
            return 1
    try:
        set_password(path, args.name, password)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"saved {args.name} in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
