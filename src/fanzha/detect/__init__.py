"""detect room of Fanzha."""
