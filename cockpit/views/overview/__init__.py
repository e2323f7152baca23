"""The per-patient overview: header, attention, diagnoses, medication, labs, contacts, home care."""
