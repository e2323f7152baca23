"""Privacy: the audit log of look-ups and exports, practice users and sign-in."""
