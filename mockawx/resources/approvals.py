"""approvals (being written)."""
