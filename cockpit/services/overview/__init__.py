"""The per-patient overview (issue 5): one typed, read-only answer per patient and day.

- ``service``: ``OverviewService``, which loads a patient's rows once, records the look-up, and builds the
  overview from them;
- ``facts``: those rows, loaded and typed (``PatientFacts``): what every section and rule reads;
- ``sections``: ``PatientOverview`` and its sections (header, diagnoses, medication, labs, timeline, home
  care), built from the facts in memory;
- ``attention``: the attention panel, the built-in rules merged with what the cluster's indicators find for
  the patient (given by the risk service), one item per concern (docs/attention.md); ``rules``: the rules
  and their concerns; ``evidence``: what the rules look up and how they word it; ``items``: what an item is;
- ``labcatalogue``: the key tests, their units and targets; ``valuesets``: the codelists the rules read.
"""
