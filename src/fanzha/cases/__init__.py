"""cases room of Fanzha."""
