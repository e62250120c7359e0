"""Self-assessment wizard: forms generated from a scheme version, saved on the server."""
