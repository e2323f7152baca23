"""Privacy: who may do what and who is acting (``identity``: roles, permissions, the actor), the practice's
users with their passwords and sign-in (``users``, ``passwords``, ``signin``), the audit log (``audit``)
and identifiable data leaving the store (``data_out``)."""
