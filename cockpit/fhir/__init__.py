"""FHIR R4 input: reading resources from files (``reader``) and mapping them to rows (``mapping``)."""
