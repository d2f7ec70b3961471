"""Data the laws app reads: aliases.json (short titles and former names of laws)."""
