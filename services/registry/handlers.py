"""What the registry consumes: nothing (it is the source the other services project from)."""
SUBSCRIPTIONS: list = []
