"""Present: the quarter's slides full-screen for the joint-committee meeting, and its export;
with ``?kiosk=1``, turning by themselves on a lobby screen."""

from lib import present_ui, ui

data, view = ui.load_data(), ui.current_view()
present_ui.full_screen()
ui.require_quarter(view)
if kiosk := present_ui.lobby_mode():
    present_ui.lobby(view, kiosk)
else:
    slides = present_ui.slides(view)
    index = present_ui.controls(data, view, len(slides))
    present_ui.show(data, view, slides[index])
