"""decide room of Fanzha."""
