"""copy (being written)."""
