"""console room of Fanzha."""
