"""Risk lists: the patients each of the cluster's indicators finds, and why."""
