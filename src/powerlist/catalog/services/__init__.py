"""The only writers of catalog records (items, their elements, versions, the ledger)."""
