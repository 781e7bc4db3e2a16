"""labels (being written)."""
