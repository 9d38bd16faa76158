"""Running the dashboard: its processes, one or several behind nginx, and what drives a
browser or a load against them. The commands, the benchmark, the load test and the tests share
it, so each knows one way to start a server, wait for it and point Chromium at it."""
