"""FHIR system URIs for the identifiers and code systems a Danish practice meets.

From HL7 DK Core (see ../shared/domain/DOMAIN.md, "Identifier and code-system URIs"). Codes are always
stored with their system URI, never as bare strings.
"""

from typing import Final

CPR: Final = "urn:oid:1.2.208.176.1.2"
SOR: Final = "urn:oid:1.2.208.176.1.1"
YDERNUMMER: Final = "urn:oid:1.2.208.176.1.4"

ICPC2: Final = "urn:oid:1.2.208.176.2.31"
SKS: Final = "urn:oid:1.2.208.176.2.4"
SKS_D: Final = "urn:oid:1.2.208.176.2.4.12"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"
NPU: Final = "http://npu-terminology.org"
NPU_LABTERM: Final = "https://labterm.dk/"
NPU_OID: Final = "urn:oid:1.2.208.176.2.1"
ATC: Final = "http://www.whocc.no/atc"
SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM: Final = "http://unitsofmeasure.org"
FSIII: Final = "urn:oid:1.2.208.176.2.21"
# MedCom's observation codes (MCSxxxxx: home blood pressure, KiAP/datafangst), under its OID and under the
# name MedCom's newer FHIR IGs use (DOMAIN.md, addendum 2026-12-07).
MEDCOM: Final = "urn:oid:1.2.208.184.100.8"
MEDCOM_FHIR: Final = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-observation-codes"

# Our own small code systems, for what no national terminology covers (documented in docs/fhir-mapping.md).
COCKPIT_BASE: Final = "https://patient-cockpit.dk/fhir/CodeSystem"
CONTACT_TYPE: Final = f"{COCKPIT_BASE}/contact-type"
SERVICE_CATEGORY: Final = f"{COCKPIT_BASE}/service-category"
HOME_CARE_SERVICE: Final = f"{COCKPIT_BASE}/home-care-service"

# Systems whose codes are hierarchical, so a codelist matches them by prefix (ATC A10 ⊃ A10BA02). ICPC-2 is
# matched by its rubric: a listed three-character code covers the Danish extensions (T90 ⊃ T90.01, T9001).
HIERARCHICAL: Final = frozenset({ATC, SKS, SKS_D, ICD10, ICPC2})

# Which coding to keep when a resource carries several: Danish systems first, as the GP reads them.
CONDITION_PREFERENCE: Final = (ICPC2, SKS_D, SKS, ICD10, SNOMED)
MEDICATION_PREFERENCE: Final = (ATC, RXNORM, SNOMED)
OBSERVATION_PREFERENCE: Final = (NPU, NPU_LABTERM, NPU_OID, LOINC, SNOMED)
