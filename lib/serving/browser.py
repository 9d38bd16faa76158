"""Debian's Chromium as the tests, the benchmark and the load test drive it, and what they
look for on the dashboard's page."""

CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing fetched by the browser itself: only what the page asks for is counted.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
# The page once its script has run to its end; the map's frame; in it, the map once every
# layer is fetched and drawn (lib/drawn/assets/wanfeng-map.js says so).
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_DRAWN = "body[data-map-drawn='true']"
