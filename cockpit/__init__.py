"""Patient Cockpit."""
