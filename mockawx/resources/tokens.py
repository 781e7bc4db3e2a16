"""tokens (being written)."""
