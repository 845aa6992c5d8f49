"""jsonlogic stage."""
