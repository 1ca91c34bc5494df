"""Tonus: a local-first terminal journal for recovery from peripheral facial palsy."""

__version__ = "0.1.0"
