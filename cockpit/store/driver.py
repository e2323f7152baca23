"""The SQLCipher driver (``sqlcipher3``), imported from here so that its one fix applies everywhere.

``sqlcipher3`` binds str, int, float and bytes directly, but sends None through its adapter lookup, which
finds nothing and raises and clears two AttributeErrors (``__adapt__``, ``__conform__``) before binding
NULL. Observation rows carry about six NULLs each: that lookup was a third of a sync's or an import's
writing time. An adapter registered for NoneType is found at once and binds NULL all the same
(``{}.get(None)`` is None, a C call). It is process-wide for this driver and does not mark the base types
as adapted, so everything else keeps its fast path.
"""

from sqlcipher3 import dbapi2

dbapi2.register_adapter(type(None), {}.get)

__all__ = ["dbapi2"]
