"""Keys and secrets: the store key lives only in the operating system's keyring."""
