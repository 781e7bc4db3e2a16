"""control (being written)."""
