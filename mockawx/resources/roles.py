"""roles (being written)."""
