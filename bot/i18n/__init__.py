"""Rostrum in Japanese and Korean: gettext catalogs (bot/i18n/<domain>.<code>.po) and what reads
them. English is the source language: its strings are the catalogs' message ids."""
