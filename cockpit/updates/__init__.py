"""Secure updates: a TUF repository checked, verified and installed only after the user agrees.

The window's "check for updates" uses ``client.UpdateService`` (``Updater(load_settings()).check()`` and,
once the user agrees, ``.install(update, ...)``); ``cockpit update check|install|rollback`` is the same from
the CLI.
"""
