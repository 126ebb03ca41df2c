"""intercept room of Fanzha."""
