"""Administration in the window: practice users and the audit log (roles with MANAGE_USERS / READ_AUDIT)."""
