"""The look shared by every screen and export: fonts, the charts' colours and Plotly's settings.

The colours of coded values (an industry, a township, a grid type) belong to the data contract
and stay in ``lib.contract.catalog``; here is what no code owns.
"""

from __future__ import annotations

# Chinese first where the text is Chinese: faces on Debian (Noto CJK), Windows and macOS.
CHART_FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
SCREEN_FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif'
LATIN_SCREEN_FONT = '"Segoe UI", "Helvetica Neue", Arial, "Liberation Sans"'
# Office files name faces that Office and WPS have; LibreOffice substitutes its own.
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Microsoft YaHei"  # on every Chinese Windows; WPS substitutes its own where missing
# Chinese official documents: 仿宋 for the body, 黑体 for headings, each with its Latin partner.
BRIEF_BODY_FONT, BRIEF_HEADING_FONT = ("仿宋", "Times New Roman"), ("黑体", "Arial")

GRID_COLOUR = "#E5E5E5"  # the charts' grid lines, on screen and in the deck
# Series with no colour of their own (tourism routes), in this order: the Okabe-Ito colours,
# told apart by colour-blind viewers, the same in the dashboard, the reports and the deck.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
# The lobby screen's dark ground (an LED wall), its ink and grid lines.
DARK_GROUND, DARK_INK, DARK_GRID = "#0B1622", "#F4F6F8", "#3B5670"

# The large-text mode: every text, figure, chart and map label this many times as large.
LARGE_TEXT = 1.5
# The ring round what has the keyboard's focus, on the page and on the map (7.1:1 on white).
FOCUS_COLOUR = "#0072B2"

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
