"""login (being written)."""
