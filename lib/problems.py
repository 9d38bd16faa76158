"""What is wrong with a data file, said so that staff can find and fix it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from lib.catalog import Lang
from lib.i18n import tr
from lib.literal import markdown_literal


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem in one place of one file.

    ``row`` is the line number as Excel shows it (the header is line 1) for tables, and
    the 1-based feature number for layers. ``what`` is a message key of ``lib.i18n``,
    filled with ``details``.
    """

    file: str
    what: str
    row: int | None = None
    feature_id: str | None = None
    field: str | None = None
    value: object = None
    details: dict[str, object] = dataclasses.field(default_factory=dict)
    severity: Severity = Severity.ERROR

    def message(self, lang: Lang) -> str:
        """The problem in one sentence: where, which value, what was expected."""
        place = [self.file]
        if self.row is not None:
            place.append(tr("problem.row" if self.file.endswith(".csv") else "problem.feature", lang, n=self.row))
        if self.feature_id:
            place.append(f"id={self.feature_id}")
        if self.field:
            place.append(tr("problem.field", lang, name=self.field))
        text = tr(f"problem.{self.what}", lang, **self.details)
        if self.value is not None:
            text = tr("problem.with_value", lang, text=text, value=_shorten(self.value))
        return f"{' · '.join(place)}: {text}"

    def markdown(self, lang: Lang) -> str:
        """The message for ``st.error`` and the like, which read Markdown: the values it quotes
        from the file are shown as they are written."""
        return markdown_literal(self.message(lang))


def _shorten(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= limit else text[: limit - 1] + "…"
