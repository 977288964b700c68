"""dllab's engine: projects, datasets, backends, runs and analysis. Imports no streamlit."""
