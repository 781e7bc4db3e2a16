"""system_job_templates (being written)."""
