"""Fixtures for a real embedded engine on 127.0.0.1 (filled in with the engine)."""
