"""Errors people see: one sentence naming the file and what to do next (STYLE.md habit 6)."""

from __future__ import annotations


class AppError(Exception):
    """A refusal with a message fit for a teller or returning officer."""
