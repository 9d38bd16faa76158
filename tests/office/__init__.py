"""The exported deck and brief rendered by LibreOffice and read back by poppler."""
