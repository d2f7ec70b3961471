"""Clean-up campaigns (清理工作). Writes happen only in `powerlist.cleanup.services`."""
