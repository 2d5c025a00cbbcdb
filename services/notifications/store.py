"""Notifications collections and their indexes."""
INDEXES: list = []
