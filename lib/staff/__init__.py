"""Staff work on the files: uploads, spreadsheets, the tables edited on the data page, sign-in."""
