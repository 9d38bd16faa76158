"""The lobby screen's settings, turns and corner line."""

from __future__ import annotations

from datetime import datetime

import pytest

from lib.reports.kiosk import (
    DEFAULT_SECONDS,
    Kiosk,
    KioskSettingError,
    Turn,
    default_seconds,
    kiosk_from,
    local_zone,
    next_turn,
    status_line,
)


def test_only_the_address_turns_it_on():
    assert kiosk_from({}) is None
    assert kiosk_from({"kiosk": "0"}) is None
    assert kiosk_from({"kiosk": "1"}) == Kiosk(DEFAULT_SECONDS, "light")


@pytest.mark.parametrize(
    ("params", "setting", "expected"),
    [
        ({"every": "30"}, None, 30),
        ({"every": "30"}, "45", 30),  # the address before the setting
        ({}, "45", 45),
        ({"every": "soon"}, None, DEFAULT_SECONDS),
        ({"every": "1"}, None, 5),  # a slide needs time to be read
        ({"every": "86400"}, None, 600),
    ],
)
def test_seconds_from_the_address_else_the_setting(params, setting, expected):
    assert kiosk_from({"kiosk": "1", **params}, setting).seconds == expected


def test_dark_only_when_asked():
    assert kiosk_from({"kiosk": "1", "theme": "dark"}).theme == "dark"
    assert kiosk_from({"kiosk": "1", "theme": "purple"}).theme == "light"


def test_a_setting_that_is_no_number_is_said(monkeypatch):
    monkeypatch.setenv("WANFENG_KIOSK_SECONDS", "twenty")
    with pytest.raises(KioskSettingError, match=r"WANFENG_KIOSK_SECONDS.*'twenty'"):
        default_seconds()


def test_an_unknown_time_zone_is_said(monkeypatch):
    monkeypatch.setenv("WANFENG_TIMEZONE", "Mars/Olympus")
    with pytest.raises(KioskSettingError, match="Mars/Olympus"):
        local_zone()
    monkeypatch.setenv("WANFENG_TIMEZONE", "Asia/Shanghai")
    assert str(local_zone()) == "Asia/Shanghai"


def test_turns_one_by_one_and_starts_again_after_the_last():
    turn, shown = None, []
    for tick in range(9):
        # The screen's timer fires late, more each time: no slide is skipped for it.
        turn = next_turn(turn, 1000 + tick * 20.7, 20, 7)
        shown.append(turn.index)
    assert shown == [0, 1, 2, 3, 4, 5, 6, 0, 1]


def test_a_redraw_in_between_keeps_the_slide():
    turn = next_turn(Turn(3, 1000.0), 1001.5, 20, 7)
    assert turn == Turn(3, 1000.0)
    # Fewer slides than before (the data changed): still one of them.
    assert next_turn(Turn(6, 1000.0), 1001.0, 20, 4).index == 2


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "2024-04-22 09:05 · 数据更新于 2024-04-01"), ("en", "2024-04-22 09:05 · data of 2024-04-01")],
)
def test_the_corner_says_the_time_and_the_datas_date(lang, expected):
    assert status_line(datetime(2024, 4, 22, 9, 5), datetime(2024, 4, 1, 17, 0), lang) == expected
    assert status_line(datetime(2024, 4, 22, 9, 5), None, lang).endswith("—")
