"""domain room of Fanzha."""
