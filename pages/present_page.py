"""Present: the quarter's slides full-screen for the joint-committee meeting, and its export."""

from lib import present_ui, ui

data, view = ui.load_data(), ui.current_view()
present_ui.full_screen()
ui.require_quarter(view)
slides = present_ui.slides(view)
index = present_ui.navigator(len(slides), view.lang)
present_ui.show(data, view, slides[index])
present_ui.exports(data, view)
