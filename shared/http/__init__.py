"""HTTP kit: app factory on flask-smorest, problem+json errors, JWT auth, ETags, pagination, health."""
