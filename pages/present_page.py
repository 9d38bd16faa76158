"""Present: the quarter's slides full-screen for the joint-committee meeting, and its export;
with ``?kiosk=1``, turning by themselves on a lobby screen."""

from lib.app import presentation, ui

data, view = ui.load_data(), ui.current_view()
presentation.full_screen()
ui.require_quarter(view)
if kiosk := presentation.lobby_mode():
    presentation.lobby(view, kiosk)
else:
    slides = presentation.slides(view)
    index = presentation.controls(data, view, len(slides))
    presentation.show(data, view, slides[index])
