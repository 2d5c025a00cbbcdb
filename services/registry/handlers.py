"""What the registry consumes: nothing yet (it is the source the other services project from)."""
