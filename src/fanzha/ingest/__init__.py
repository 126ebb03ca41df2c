"""ingest room of Fanzha."""
