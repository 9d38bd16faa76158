"""A bare Streamlit page, one title and nothing else: what the framework itself takes to show a
page, the yardstick of scripts/measuring/benchmark.py. Run as a command, it serves itself::

    .venv/bin/python scripts/measuring/bare_page.py [STREAMLIT OPTIONS]
"""

import sys
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

if __name__ == "__main__":
    # Streamlit runs this file as __main__ too: then it is the page, else the command line.
    if get_script_run_ctx(suppress_warning=True) is not None:
        st.title("万峰湖三地看板")
    else:
        from streamlit.web import cli

        cli.main(prog_name="streamlit", args=["run", str(Path(__file__).resolve()), *sys.argv[1:]])
