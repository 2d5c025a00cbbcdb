"""The four Maillage services; each is its own Flask app + worker, with its own database."""
