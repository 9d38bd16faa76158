"""Streamlit is set for an intranet, and no secret is in the repository."""

from __future__ import annotations

import re
import subprocess
import tomllib

from lib.contract.settings import ROOT
from lib.staff.uploads import MAX_UPLOAD_BYTES

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
EXAMPLE = ROOT / ".streamlit" / "secrets.toml.example"


def test_streamlit_is_set_for_an_intranet():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES
    assert CONFIG["client"]["disableDataExport"] is True


def test_no_secrets_file_is_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert ".streamlit/secrets.toml" not in tracked.split()
    ignored = subprocess.run(["git", "check-ignore", ".streamlit/secrets.toml"], cwd=ROOT, capture_output=True)
    assert ignored.returncode == 0


def test_the_example_secrets_name_only_settings_the_dashboard_reads():
    text = EXAMPLE.read_text(encoding="utf-8")
    example = tomllib.loads("\n".join(line.removeprefix("# ") for line in text.splitlines() if " = " in line))
    assert example, "every entry is there, commented out"
    # Read: asked of lib.contract.settings by name, or a ${NAME} in a basemap's url (not in a comment).
    asked = set().union(
        *(re.findall(r'setting\(\s*"([A-Z][A-Z_]+)"', p.read_text(encoding="utf-8")) for p in ROOT.glob("lib/**/*.py"))
    )
    basemaps = tomllib.loads((ROOT / "config" / "basemaps.toml").read_text(encoding="utf-8"))
    urls = " ".join(entry["url"] for entry in basemaps["basemap"])
    assert set(example) <= asked | set(re.findall(r"\$\{([A-Z][A-Z_]+)\}", urls))
    assert tomllib.loads(text) == {}, "the example sets nothing until copied and filled in"
