"""engines room of Fanzha."""
