"""Quarters as written in the data (``2024Q1``) and the comparisons made between them."""

from __future__ import annotations

import re

from lib.contract.catalog import Lang

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


def parse_quarter(text: str) -> str | None:
    """Canonical form (``2024Q1``) of a quarter as staff may type it, or None.

    Accepts ``2024Q1``, ``2024q1``, ``2024-Q1`` and ``2024 Q1``.
    """
    match = _QUARTER.match(text)
    return f"{match[1]}Q{match[2]}" if match else None


def quarter_of_date(year: int, month: int) -> str:
    """The quarter a month falls in."""
    return f"{year}Q{(month - 1) // 3 + 1}"


def shift(quarter: str, quarters: int) -> str:
    """The quarter ``quarters`` after (or before, if negative) ``quarter``."""
    year, q = int(quarter[:4]), int(quarter[5])
    index = year * 4 + (q - 1) + quarters
    return f"{index // 4}Q{index % 4 + 1}"


def previous(quarter: str) -> str:
    """The quarter before."""
    return shift(quarter, -1)


def year_earlier(quarter: str) -> str:
    """The same quarter a year earlier."""
    return shift(quarter, -4)


def quarter_label(quarter: str, lang: Lang) -> str:
    """``2024年一季度`` or ``2024 Q1``."""
    if lang == "zh":
        return f"{quarter[:4]}年{'一二三四'[int(quarter[5]) - 1]}季度"
    return f"{quarter[:4]} Q{quarter[5]}"
