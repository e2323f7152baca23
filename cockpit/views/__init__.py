"""Qt views. They show what services return and never touch the store or the network themselves."""
