"""instance_groups (being written)."""
