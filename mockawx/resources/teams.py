"""teams (being written)."""
