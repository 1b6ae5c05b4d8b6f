"""Screens and panels; each reads frozen values and emits what the teller did, never touching the store."""
