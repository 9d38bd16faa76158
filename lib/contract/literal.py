"""Text from the data shown as it is written, where Streamlit reads Markdown.

``st.markdown``, ``st.error``, ``st.table`` cells and button labels render Markdown: a link
(``[x](javascript:...)`` becomes a link, its address blanked), ``**bold**``, ``$x$`` as a
formula, ``:material/...:`` and ``:smile:`` as icons, ``:red[...]`` in colour, ``&lt;`` as
``<``. HTML is shown as text without ``unsafe_allow_html``, but the rest is not.
"""

from __future__ import annotations

from string import punctuation


def markdown_literal(text: str) -> str:
    """``text`` as Markdown that Streamlit shows letter for letter.

    Every ASCII punctuation character is escaped, as Markdown allows for each of them, so none
    can open a construct. A bare web address (``http://x.org``, ``www.x.org``) is still made a
    link by Streamlit, which finds them after parsing; such links open in a new tab and run
    nothing.
    """
    return "".join(f"\\{c}" if c in punctuation else c for c in text)
