"""The Streamlit glue: page parts, the site's page list and the editing password."""
