"""Help in the window: the help page (F1, generated from the window's own shortcuts), About with the
third-party licences, and an indicator's definition ("?" in the risk lists)."""
