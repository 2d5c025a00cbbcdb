"""Training service (see ../../../shared/DESIGN.md for its scope)."""
