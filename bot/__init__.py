"""Rostrum: a Discord bot for moderated, balanced debate about Japan–Korea relations."""

__version__ = "0.1.0"
