"""The end-to-end demonstration: a simulated region replayed through every room of the platform."""
