"""access room of Fanzha."""
