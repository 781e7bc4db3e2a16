"""applications (being written)."""
