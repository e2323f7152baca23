"""Follow-up worklists: practice staff work through the risk lists, and the data closes the loop."""
