"""powerlist: power and responsibility lists (权力清单/责任清单) for Chinese local government."""

__version__ = "0.1.0"
