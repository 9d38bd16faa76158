"""LibreOffice, headless, as staff's own office suite: files it saves, converted for the tests."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# LibreOffice's CSV import options: comma, double quote, UTF-8 (76), from line 1.
CSV_UTF8 = "CSV:44,34,76,1"


def soffice() -> str:
    """The LibreOffice program; the tests need it (`make test` installs it)."""
    program = shutil.which("soffice")
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run `make test`, which installs it")
    return program


def convert(source: Path, extension: str, import_filter: str | None = None) -> Path:
    """``source`` as LibreOffice saves it with ``extension`` (for example "xls"), beside it."""
    with tempfile.TemporaryDirectory() as profile:
        command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless"]
        if import_filter:
            command.append(f"--infilter={import_filter}")
        command += ["--convert-to", extension, "--outdir", str(source.parent), str(source)]
        subprocess.run(command, check=True, capture_output=True, timeout=180)
    converted = source.with_suffix(f".{extension}")
    if not converted.exists():
        raise RuntimeError(f"LibreOffice did not write {converted.name}")
    return converted
