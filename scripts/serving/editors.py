"""Add, change or remove the editors who may sign in to change the data.

    python scripts/serving/editors.py add NAME [--admin]         # asks for the password twice
    echo 'PASSWORD' | python scripts/serving/editors.py add NAME --password-stdin   # without asking
    python scripts/serving/editors.py remove NAME
    python scripts/serving/editors.py list

An administrator (``--admin``) may also add and remove editors on the data page.

The hashed passwords are kept at WANFENG_EDITORS_FILE (from the environment, else
.streamlit/secrets.toml, as the server reads it), by default
~/.config/wanfeng-dashboard/editors.json: outside the repository, never committed.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from lib.contract.catalog import LANGS
from lib.contract.settings import SettingsError
from lib.staff.sign_in import ADMIN, EDITOR, editor_accounts, read_roles, remove_editor, set_password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Manage the dashboard's editors.")
    parser.add_argument("action", choices=["add", "remove", "list"])
    parser.add_argument("name", nargs="?")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    role = parser.add_mutually_exclusive_group()
    role.add_argument("--admin", action="store_true", help="may also add and remove editors on the data page")
    role.add_argument("--editor", action="store_true", help="keeps the data only (the default for a new name)")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of a settings error (default: en)")
    args = parser.parse_args(argv)
    try:
        path = editor_accounts()
    except SettingsError as error:  # one line naming the file, not a traceback
        print(error.message(args.lang), file=sys.stderr)
        return 1
    if args.action == "list":
        print("\n".join(f"{name}\t{role}" for name, role in read_roles(path).items()) or "(no editors)")
        return 0
    if not args.name:
        parser.error("a name is needed")
    if args.action == "remove":
        try:
            remove_editor(path, args.name)
        except KeyError:
            print(f"no editor named {args.name} in {path}", file=sys.stderr)
            return 1
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
        set_password(path, args.name, password, role=ADMIN if args.admin else EDITOR if args.editor else None)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"saved {args.name} in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
