"""survey (being written)."""
