"""warn room of Fanzha."""
