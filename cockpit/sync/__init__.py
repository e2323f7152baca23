"""Sync with the practice's FHIR server (issue: Sync). Nothing here yet; imports go through cockpit.fhir."""
