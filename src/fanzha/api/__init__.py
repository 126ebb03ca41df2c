"""api room of Fanzha."""
