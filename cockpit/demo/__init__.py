"""A deterministic generator of a fictitious Danish general practice as FHIR R4 bulk-export NDJSON.

See docs/demo-model.md for the model (population, prevalences, treatment, monitoring, contacts, gaps).
"""

from cockpit.demo.generator import DemoArgumentError, DemoOutputError, DemoSummary, generate_practice

__all__ = ["DemoArgumentError", "DemoOutputError", "DemoSummary", "generate_practice"]
