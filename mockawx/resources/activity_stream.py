"""activity_stream (being written)."""
