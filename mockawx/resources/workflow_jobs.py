"""workflow_jobs (being written)."""
