"""The only writers of the clean-up campaign: campaigns.py (open, self-report, tasks),
decisions.py (rounds, decisions, replies), publication.py (apply, publish, statistics)."""
