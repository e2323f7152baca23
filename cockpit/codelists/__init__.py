"""The one home of clinical codes: codelists as files, one per concept, each with its source.

Everything that recognises a diagnosis, a drug, a lab test or a measurement (the indicator packs, the
attention panel, the overview's lab catalogue, the ATC names for drugs sent without a display) reads the
files in ``data/``; no clinical code is written in Python. See docs/codelists.md.
"""
