"""credentials (being written)."""
