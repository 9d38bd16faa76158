"""Every page run under Streamlit's AppTest, from dashboard.py."""
