"""unified (being written)."""
