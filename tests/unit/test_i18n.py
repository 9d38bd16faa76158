import re
import string

from lib.contract.catalog import VOCABULARIES
from lib.contract.i18n import STRINGS, tr


def test_every_string_has_both_languages_with_the_same_placeholders():
    for key, (zh, en) in STRINGS.items():
        assert zh and en, key
        names = [{f[1] for f in string.Formatter().parse(text) if f[1]} for text in (zh, en)]
        assert names[0] == names[1], key


def test_chinese_strings_are_chinese():
    for key, (zh, _en) in STRINGS.items():
        # A template of placeholders and punctuation only has no words to translate.
        words = re.sub(r"\{[^}]*\}", "", zh).strip(" ·:()★；，、（）：。")
        if words:
            assert re.search(r"[\u4e00-\u9fff]", words), key


def test_every_code_has_both_labels():
    for vocabulary in VOCABULARIES.values():
        for code in vocabulary.values():
            assert code.label.zh and code.label.en


def test_tr_fills_placeholders():
    assert tr("problem.row", "zh", n=3) == "第 3 行"
    assert tr("problem.row", "en", n=3) == "row 3"


def test_every_string_is_used():
    """Strings whose key is built at run time (page titles, metrics, problems) are named by prefix."""
    from lib.contract.settings import ROOT

    source = "".join(
        p.read_text(encoding="utf-8")
        for p in [
            *ROOT.glob("lib/**/*.py"),
            *ROOT.glob("pages/*.py"),
            *ROOT.glob("scripts/**/*.py"),
            ROOT / "dashboard.py",
        ]
        if p.name != "i18n.py"
    )
    dynamic = (
        "page.",
        "metric.",
        "problem.",
        "admin.action_",
        "admin.role_",
        "template.",
        "json_type.",
        "map.borders_",
        "brief.column_",
    )
    unused = [k for k in STRINGS if not k.startswith(dynamic) and f'"{k}"' not in source and f"'{k}'" not in source]
    assert unused == []
