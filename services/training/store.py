"""Training collections and their indexes."""
INDEXES: list = []
