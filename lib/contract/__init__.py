"""The data contract: which files exist and their fields, coded values, strings of each language, quarters, settings."""
