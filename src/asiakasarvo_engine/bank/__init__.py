"""bank stage."""
