"""inventories (being written)."""
