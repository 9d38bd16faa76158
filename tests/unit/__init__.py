"""Unit tests of the pure code in lib/ and of the commands in scripts/."""
