"""registry room of Fanzha."""
