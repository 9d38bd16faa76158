"""The lobby-screen mode (大屏): the slides turning by themselves on a screen outside the
meeting room or an LED wall, asked for in the address (``?kiosk=1&every=20&theme=dark``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lib.contract.catalog import Lang
from lib.contract.i18n import tr
from lib.contract.settings import setting

# The address's words for the mode; the shared controls keep them in the link.
PARAMS = ("kiosk", "every", "theme")
DEFAULT_SECONDS = 20
SHORTEST, LONGEST = 5, 600  # a slide needs time to be read; a stuck screen looks broken
THEMES = ("light", "dark")


class KioskSettingError(ValueError):
    """A lobby-screen setting that cannot be used: said with its name and value."""


@dataclass(frozen=True)
class Kiosk:
    """How the lobby screen turns: seconds a slide, and its colours."""

    seconds: int
    theme: str


def kiosk_from(params: Mapping[str, str], default_seconds: str | None = None) -> Kiosk | None:
    """The lobby-screen mode the address asks for (``kiosk=1``), or None; its seconds as
    ``lobby_seconds`` says."""
    if params.get("kiosk") not in ("1", "true", "yes"):
        return None
    theme = params.get("theme", "light")
    return Kiosk(lobby_seconds(params.get("every"), default_seconds), theme if theme in THEMES else "light")


def lobby_seconds(every: str | None, default_seconds: str | None = None) -> int:
    """Seconds a slide: ``every`` (the address's), else ``default_seconds`` (the setting),
    else 20 s; kept between 5 and 600 s."""
    seconds = _seconds(every) or _seconds(default_seconds) or DEFAULT_SECONDS
    return min(max(seconds, SHORTEST), LONGEST)


def _seconds(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def default_seconds() -> str | None:
    """``WANFENG_KIOSK_SECONDS``: seconds a slide when the address does not say."""
    value = setting("WANFENG_KIOSK_SECONDS")
    if value is not None and _seconds(value) is None:
        raise KioskSettingError(f"WANFENG_KIOSK_SECONDS must be a number of seconds, instead got: {value!r}")
    return value


@dataclass(frozen=True)
class Turn:
    """The slide the lobby screen shows and when it came up (seconds since the epoch)."""

    index: int
    shown_at: float


# A redraw in between (a map that reports it was drawn) comes well before this share of the
# slide's time has passed; the screen's timer, which may fire a little late or early, after it.
_TIMER_SHARE = 0.6


def next_turn(turn: Turn | None, now: float, seconds: int, count: int) -> Turn:
    """What the lobby screen shows at ``now`` of ``count`` slides turning every ``seconds``:
    the first to begin, the next once the slide's time is up, the first again after the last.
    Counted by turns, not from the start, so a late timer never skips a slide."""
    if turn is None:
        return Turn(0, now)
    if now - turn.shown_at < _TIMER_SHARE * seconds:
        return Turn(turn.index % count, turn.shown_at)
    return Turn((turn.index + 1) % count, now)


def local_zone() -> ZoneInfo:
    """The screen's time zone: ``WANFENG_TIMEZONE``, else China's."""
    name = setting("WANFENG_TIMEZONE") or "Asia/Shanghai"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise KioskSettingError(f"WANFENG_TIMEZONE is not a known time zone, instead got: {name!r}") from error


def status_line(now: datetime, data_changed: datetime | None, lang: Lang) -> str:
    """The lobby screen's corner: the time now and when the data last changed."""
    changed = data_changed.strftime("%Y-%m-%d") if data_changed else "—"
    return tr("kiosk.status", lang, now=now.strftime("%Y-%m-%d %H:%M"), changed=changed)
