"""Who is at the keyboard: the sign-in/lock page, the idle watcher and the first-administrator dialog."""
