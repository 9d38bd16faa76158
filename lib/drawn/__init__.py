"""What is drawn from the data: headline figures, frames, Plotly charts, the Folium map, search, basemaps, offline assets."""
