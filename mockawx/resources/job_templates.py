"""job_templates (being written)."""
