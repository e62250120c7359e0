"""PDF result reports, stored per submission and language, and public verification."""
