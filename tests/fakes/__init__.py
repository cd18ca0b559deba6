"""Local stand-ins that speak the real protocols of services the tests can't reach."""
