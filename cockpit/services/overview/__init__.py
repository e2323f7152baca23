"""The per-patient overview (issue 5): the patient's facts, the sections built from them, the attention
panel's rules, the lab catalogue and the value sets the rules read."""
