"""Secure updates: a TUF repository checked, verified and installed only after the user agrees.

The window's "check for updates" uses ``Updater(load_settings()).check()`` and, once the user agrees,
``.install(update, confirm=...)``; ``cockpit update check|install|rollback`` is the same from the CLI.
"""
