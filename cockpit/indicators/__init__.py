"""Indicator packs and risk lists: declarative packs (YAML, checked against a JSON Schema), an engine that
compiles each indicator to set-wise SQL, and the practice's choice of active indicators.

docs/indicators.md is the reader's guide. Entry points, by module (nothing is imported here, so that
importing one of them stays fast):

- ``packformat.load_pack(path)``, ``registry.PackRegistry.load(home)``: packs from files;
- ``engine.evaluate(source, indicator, as_of)`` and ``engine.evaluate_many(...)``: populations and hits;
- ``service.IndicatorService(store)``: the installed packs with the practice's choice (overview,
  attention panel);
- ``importing.preview_import(home, file)`` / ``importing.install(home, preview)``: a cluster's pack;
- ``selection.PracticeChoice``: which packs and indicators are active, with threshold overrides;

``cockpit indicators``, ``cockpit risk`` and ``cockpit packs`` are in cockpit/cli/indicators.py.
"""
