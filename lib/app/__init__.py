"""The Streamlit side, the only package that imports streamlit: caches, the shared view, page blocks, the data and presentation screens."""
