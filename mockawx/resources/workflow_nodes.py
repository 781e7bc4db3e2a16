"""workflow_nodes (being written)."""
