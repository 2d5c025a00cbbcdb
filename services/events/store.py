"""Events collections and their indexes."""
INDEXES: list = []
