"""store room of Fanzha."""
