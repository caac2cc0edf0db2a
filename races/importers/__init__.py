"""Importers of official timing files: `alkamel` reads a classification file, `classification`
plans and writes it into a session, `export` writes a session back in the same format.

See docs/decisions/0004-classification-import.md.
"""
