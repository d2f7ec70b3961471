"""The only writers of core's records. Each function takes the acting user, checks role and
scope, validates, writes in one transaction and appends to the audit chain."""
