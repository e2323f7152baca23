"""Secure updates: a TUF repository checked, verified and installed only after the user agrees."""
