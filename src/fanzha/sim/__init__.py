"""sim room of Fanzha."""
