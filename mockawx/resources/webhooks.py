"""webhooks (being written)."""
