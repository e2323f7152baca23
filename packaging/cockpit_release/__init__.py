"""Release tooling for Patient Cockpit: freeze, package, sign, verify and publish updates.

Run through the scripts beside this package (packaging/build, packaging/verify, packaging/publish-update).
``verify`` uses only the standard library and the system's gpgv, debsig-verify and osslsigncode, so clinic
IT can run it on any machine with Python 3.
"""
