"""Reading, checking and keeping the data files: loading, problems, versioned saves, what changed, geodesy."""
