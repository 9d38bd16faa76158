"""Tables that leave the dashboard as CSV are safe to open in Excel, and come back unchanged.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
Excel skips before looking) is read by Excel and WPS as a formula: ``=HYPERLINK(...)`` in a
route's name would become a live link, ``=cmd|...`` worse. Such cells get a leading
apostrophe, Excel's own mark for "this is text"; Excel hides it, and drops it when it saves
the sheet again. Plain numbers such as ``-3.5`` are left alone, since Excel reads them as
numbers anyway. An upload drops the apostrophe again, so a download, edited and uploaded,
keeps every cell as it was.
"""

from __future__ import annotations

import csv
import io
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(cell: str) -> str:
    """``cell`` as Excel will show it as text, never run it as a formula."""
    if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
        return TEXT_MARK + cell
    return cell


def restore(cell: str) -> str:
    """A cell as it was before ``neutralise``: the apostrophe before a formula character dropped."""
    if cell.startswith(TEXT_MARK) and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def safe_csv(text: str) -> bytes:
    """CSV text as a file to download: every row and cell kept, formula cells neutralised,
    UTF-8 with BOM and CRLF, so that Excel on Chinese Windows opens it right.

    Read with the csv module rather than pandas so that a damaged file staff download to fix
    comes out with its ragged rows as they were."""
    # An unclosed quote makes the rest of a damaged file one field: let it be as long as the file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows = csv.reader(io.StringIO(text, newline=""))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
