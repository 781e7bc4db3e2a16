"""jobs (being written)."""
