"""projects (being written)."""
