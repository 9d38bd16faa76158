"""Speed and load: the benchmark's smoke test, the county-sized data, the load test behind nginx."""
