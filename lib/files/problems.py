"""What is wrong with a data file, said so that staff can find and fix it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum

from lib.contract.catalog import DATASETS, VOCABULARIES, Lang
from lib.contract.i18n import tr
from lib.contract.literal import markdown_literal


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem in one place of one file.

    ``file`` is the data file's path in the contract. ``row`` is the line number as Excel shows
    it (the header is line 1) for tables, and the 1-based feature number for layers. ``what``
    is a message key of ``lib.contract.i18n``, filled with ``details``. ``source`` names the file as
    staff sent it (an upload's own name, and its ``sheet``), where that differs from ``file``;
    ``record`` names a row by its key where there is no line to point to (the in-page grid).
    """

    file: str
    what: str
    row: int | None = None
    feature_id: str | None = None
    field: str | None = None
    value: object = None
    details: dict[str, object] = dataclasses.field(default_factory=dict)
    severity: Severity = Severity.ERROR
    source: str | None = None
    sheet: str | None = None
    record: str | None = None

    def message(self, lang: Lang) -> str:
        """The problem in one sentence: where, which value, what was expected, how to fix it."""
        dataset = next((d for d in DATASETS.values() if d.path == self.file), None)
        place = [self.source or self.file]
        if self.sheet:
            place.append(tr("problem.sheet", lang, name=self.sheet))
        if self.record:
            place.append(tr("problem.record", lang, record=self.record))
        elif self.row is not None:
            is_table = dataset is None or not dataset.is_layer
            place.append(tr("problem.row" if is_table else "problem.feature", lang, n=self.row))
        if self.feature_id:
            place.append(f"id={self.feature_id}")
        if self.field:
            known = next((f for f in dataset.fields if f.name == self.field), None) if dataset else None
            heading = known.heading(lang) if known else None
            place.append(
                tr("problem.column", lang, heading=heading, name=self.field)
                if heading
                else tr("problem.field", lang, name=self.field)
            )
        text = tr(f"problem.{self.what}", lang, **self._details(lang))
        if self.value is not None and self.what != "required":
            text = tr("problem.with_value", lang, text=text, value=_shorten(self.value))
        if hint := self.hint(lang):
            text = f"{text}。{hint}" if lang == "zh" else f"{text}. {hint}"
        return f"{' · '.join(place)}{'：' if lang == 'zh' else ': '}{text}"

    def _details(self, lang: Lang) -> dict[str, object]:
        # JSON's type names are said in the reader's words, as staff do not read JSON.
        if self.what == "wrong_json_type":
            return {key: tr(f"json_type.{name}", lang) for key, name in self.details.items()}
        return self.details

    def hint(self, lang: Lang) -> str | None:
        """How to fix the value, where that can be said: "删除“约”，只填数字"."""
        if self.what in ("not_number", "not_integer") and isinstance(self.value, str):
            stray = list(dict.fromkeys(re.findall(r"[^\d.,+\-\s]+", self.value)))
            if stray:
                return tr("problem.hint_strip", lang, stray="”“".join(stray))
            if self.what == "not_integer":
                return tr("problem.hint_whole", lang)
        if self.what == "required":
            return tr("problem.hint_fill", lang)
        named = _code_named(self.file, self.field, self.value) if self.what == "unknown_code" else None
        return tr("problem.hint_code", lang, value=self.value, code=named) if named else None

    def markdown(self, lang: Lang) -> str:
        """The message for ``st.error`` and the like, which read Markdown: the values it quotes
        from the file are shown as they are written."""
        return markdown_literal(self.message(lang))


def _code_named(file: str, field: str | None, name: object) -> str | None:
    """The code of a coded field whose label (in either language) is ``name``: "鲁布革乡" → lubuge."""
    dataset = next((d for d in DATASETS.values() if d.path == file), None)
    known = next((f for f in dataset.fields if f.name == field), None) if dataset else None
    if known is None or not isinstance(name, str):
        return None
    codes = VOCABULARIES.get(known.vocabulary or "", {})
    return next((code for code, entry in codes.items() if name.strip() in (entry.label.zh, entry.label.en)), None)


def _shorten(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= limit else text[: limit - 1] + "…"
