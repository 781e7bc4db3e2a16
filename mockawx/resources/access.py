"""access (being written)."""
