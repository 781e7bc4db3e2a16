"""execution_environments (being written)."""
