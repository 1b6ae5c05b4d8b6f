"""Dialogs: each asks one thing and returns plain values; the window passes them to the app."""
