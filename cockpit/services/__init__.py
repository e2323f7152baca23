"""Services: what the views and the CLI ask of the store. They own sessions; callers never do."""
