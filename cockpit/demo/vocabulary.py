"""The code tables the demo practice is written in: every coding the generator emits comes from here.

One table per code system (ICPC-2, SKS D-codes, ATC, NPU, LOINC, SNOMED CT, UCUM, the HL7 terminology
tables and our own contact-type / home-care code systems). ``CODE_TABLES`` maps a FHIR system URI to its
codes, and the tests check every coding and quantity in the output against it. Over 500 lines because it
is data (the tables themselves), not logic.

``evidence`` says how far a code was checked against ../shared/domain (DOMAIN.md, indicators-reference.yaml):
  "V"  the code itself is listed there as verified;
  "V*" listed as seen in third-party code lists only;
  "P"  the parent group is verified there (e.g. ATC A10BK, SKS DI50) and the full code is the standard
       WHO/ICD-10 subdivision, not itself checked;
  "U"  not in the domain reference: standard knowledge, check before relying on it.
Danish display texts are our own wording (close to the official Danish titles, not copied from them).
"""

from dataclasses import dataclass, field
from typing import Final, Literal

from cockpit.models import codes

Evidence = Literal["V", "V*", "P", "U"]
Sex = Literal["male", "female"]

CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VER_STATUS: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_PRIORITY: Final = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
ACT_REASON: Final = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
# MedCom's code system (home blood pressure, spirometry, COPD scores), as Danish telemedicine sends it.
MEDCOM: Final = "urn:oid:1.2.208.184.100.8"


@dataclass(frozen=True, slots=True)
class Code:
    system: str
    code: str
    display: str
    evidence: Evidence = "U"

    def coding(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}


@dataclass(frozen=True, slots=True)
class Drug:
    """A drug as a Danish clinic system lists it: ATC (7 characters), substance name, one strength and the
    usual dosage text. ``course_days`` > 0 marks a short course (antibiotics, prednisolone bursts)."""

    atc: str
    name: str
    strength: str
    dosage: str
    evidence: Evidence = "U"
    course_days: int = 0
    only_sex: Sex | None = None
    since_year: int | None = None  # marketed in Denmark from about this year: no earlier start dates

    @property
    def text(self) -> str:
        return f"{self.name} {self.strength}"

    def code(self) -> Code:
        return Code(codes.ATC, self.atc, self.name, self.evidence)


@dataclass(frozen=True, slots=True)
class Measure:
    """A lab test or clinical measurement: its code, UCUM unit and reference interval by sex.
    ``reference`` maps sex to (low, high); either bound may be None."""

    key: str
    code: Code
    unit: str
    ucum: str
    decimals: int
    category: str
    reference: dict[Sex, tuple[float | None, float | None]] = field(default_factory=dict)


def _c(system: str, code: str, display: str, evidence: Evidence = "U") -> Code:
    return Code(system, code, display, evidence)


# --- GP diagnoses: ICPC-2 ---------------------------------------------------------------------------------

ICPC2: Final = {
    c.code: c
    for c in (
        _c(codes.ICPC2, "T90", "Type 2-diabetes", "V"),
        _c(codes.ICPC2, "K86", "Hypertension, ukompliceret", "V"),
        _c(codes.ICPC2, "K87", "Hypertension med organpåvirkning", "V"),
        _c(codes.ICPC2, "R95", "Kronisk obstruktiv lungesygdom (KOL)", "V"),
        _c(codes.ICPC2, "R96", "Astma", "V"),
        _c(codes.ICPC2, "K74", "Iskæmisk hjertesygdom med angina pectoris", "V"),
        _c(codes.ICPC2, "K75", "Akut myokardieinfarkt", "V"),
        _c(codes.ICPC2, "K76", "Iskæmisk hjertesygdom uden angina pectoris", "V"),
        _c(codes.ICPC2, "K77", "Hjerteinsufficiens", "V"),
        _c(codes.ICPC2, "K78", "Atrieflimren/-flagren", "V"),
        _c(codes.ICPC2, "T93", "Lipidforstyrrelse", "V"),
        _c(codes.ICPC2, "U71", "Cystitis/urinvejsinfektion", "V"),
        _c(codes.ICPC2, "P76", "Depression"),
        _c(codes.ICPC2, "P70", "Demens"),
        _c(codes.ICPC2, "L88", "Reumatoid artritis"),
        _c(codes.ICPC2, "L90", "Knæartrose"),
        _c(codes.ICPC2, "L91", "Anden artrose"),
        _c(codes.ICPC2, "R74", "Akut øvre luftvejsinfektion"),
        _c(codes.ICPC2, "R75", "Bihulebetændelse"),
        _c(codes.ICPC2, "R76", "Akut halsbetændelse (tonsillitis)"),
        _c(codes.ICPC2, "R78", "Akut bronkitis"),
        _c(codes.ICPC2, "R81", "Lungebetændelse"),
        _c(codes.ICPC2, "H71", "Akut mellemørebetændelse"),
        _c(codes.ICPC2, "S76", "Anden hudinfektion"),
    )
}

# --- hospital diagnoses: SKS D-codes ("D" + ICD-10 without the dot) ---------------------------------------

SKS_D: Final = {
    c.code: c
    for c in (
        _c(codes.SKS_D, "DE119", "Type 2-diabetes uden komplikationer", "P"),
        _c(codes.SKS_D, "DI10", "Essentiel hypertension", "V"),
        _c(codes.SKS_D, "DI209", "Angina pectoris uden specifikation", "P"),
        _c(codes.SKS_D, "DI219", "Akut myokardieinfarkt uden specifikation", "P"),
        _c(codes.SKS_D, "DI259", "Kronisk iskæmisk hjertesygdom uden specifikation", "P"),
        _c(codes.SKS_D, "DI509", "Hjerteinsufficiens uden specifikation", "P"),
        _c(codes.SKS_D, "DI489", "Atrieflimren og atrieflagren uden specifikation", "P"),
        _c(codes.SKS_D, "DJ449", "Kronisk obstruktiv lungesygdom uden specifikation", "V"),
        _c(codes.SKS_D, "DJ441", "Kronisk obstruktiv lungesygdom med akut eksacerbation", "P"),
        _c(codes.SKS_D, "DN183", "Kronisk nyresygdom, stadium 3", "V*"),
        _c(codes.SKS_D, "DN184", "Kronisk nyresygdom, stadium 4", "V*"),
        _c(codes.SKS_D, "DN390", "Urinvejsinfektion uden angivelse af lokalisation"),
        _c(codes.SKS_D, "DJ189", "Pneumoni uden specifikation"),
        _c(codes.SKS_D, "DE86", "Dehydrering"),
        _c(codes.SKS_D, "DR55", "Synkope og kollaps"),
        _c(codes.SKS_D, "DS720", "Brud på lårbenshals"),
        _c(codes.SKS_D, "DS525", "Brud på nedre ende af radius"),
        _c(codes.SKS_D, "DS934", "Forstuvning af ankel"),
        _c(codes.SKS_D, "DS610", "Sår på finger uden negleskade"),
        _c(codes.SKS_D, "DR074", "Brystsmerter uden specifikation"),
        _c(codes.SKS_D, "DR104", "Andre og uspecificerede mavesmerter"),
        _c(codes.SKS_D, "DM069", "Reumatoid artritis uden specifikation"),
        _c(codes.SKS_D, "DM169", "Hofteledsartrose uden specifikation"),
        _c(codes.SKS_D, "DM179", "Knæledsartrose uden specifikation"),
        _c(codes.SKS_D, "DK802", "Galdesten uden galdeblærebetændelse"),
    )
}

# --- drugs: ATC -----------------------------------------------------------------------------------------

_DRUG_LIST: Final = (
    # diabetes
    Drug("A10BA02", "Metformin", "500 mg", "2 tabletter 2 gange dagligt", "V"),
    Drug("A10BK01", "Dapagliflozin", "10 mg", "1 tablet dagligt", "P", since_year=2013),
    Drug("A10BK03", "Empagliflozin", "10 mg", "1 tablet dagligt", "P", since_year=2014),
    Drug("A10BJ06", "Semaglutid", "1 mg", "1 injektion 1 gang ugentligt", "P", since_year=2018),
    Drug("A10BJ02", "Liraglutid", "6 mg/ml", "1,8 mg subkutant dagligt", "P", since_year=2009),
    Drug("A10BH01", "Sitagliptin", "100 mg", "1 tablet dagligt", "P", since_year=2007),
    Drug("A10BB12", "Glimepirid", "2 mg", "1 tablet dagligt", "P"),
    Drug("A10AE04", "Insulin glargin", "100 E/ml", "20 enheder subkutant om aftenen", "P", since_year=2001),
    # lipids and antithrombotics
    Drug("C10AA05", "Atorvastatin", "40 mg", "1 tablet dagligt", "V*"),
    Drug("C10AA01", "Simvastatin", "40 mg", "1 tablet om aftenen", "V*"),
    Drug("C10AX09", "Ezetimib", "10 mg", "1 tablet dagligt", "P", since_year=2003),
    Drug("C10BA05", "Atorvastatin og ezetimib", "40/10 mg", "1 tablet dagligt", "P", since_year=2015),
    Drug("C10BA02", "Simvastatin og ezetimib", "40/10 mg", "1 tablet om aftenen", "P", since_year=2005),
    Drug("B01AC06", "Acetylsalicylsyre", "75 mg", "1 tablet dagligt", "V"),
    Drug("B01AC04", "Clopidogrel", "75 mg", "1 tablet dagligt"),
    Drug("B01AC24", "Ticagrelor", "90 mg", "1 tablet 2 gange dagligt", "P", since_year=2011),
    Drug("B01AF02", "Apixaban", "5 mg", "1 tablet 2 gange dagligt", "V", since_year=2011),
    Drug("B01AF01", "Rivaroxaban", "20 mg", "1 tablet dagligt", "V", since_year=2009),
    Drug("B01AF03", "Edoxaban", "60 mg", "1 tablet dagligt", "V", since_year=2015),
    Drug("B01AE07", "Dabigatranetexilat", "150 mg", "1 kapsel 2 gange dagligt", "V", since_year=2009),
    Drug("B01AA03", "Warfarin", "2,5 mg", "Efter INR-skema", "V"),
    # blood pressure, heart failure, heart rhythm
    Drug("C09AA05", "Ramipril", "5 mg", "1 tablet dagligt", "V"),
    Drug("C09AA02", "Enalapril", "10 mg", "1 tablet dagligt", "P"),
    Drug("C09CA01", "Losartan", "50 mg", "1 tablet dagligt", "P"),
    Drug("C09CA06", "Candesartan", "8 mg", "1 tablet dagligt", "P", since_year=1998),
    Drug("C03AA03", "Hydrochlorthiazid", "25 mg", "1 tablet dagligt", "P"),
    Drug("C09BA02", "Enalapril og diuretika", "20/12,5 mg", "1 tablet dagligt", "P"),
    Drug("C09DA01", "Losartan og diuretika", "50/12,5 mg", "1 tablet dagligt", "P"),
    Drug("C09XA52", "Aliskiren og hydrochlorthiazid", "150/12,5 mg", "1 tablet dagligt", since_year=2009),
    Drug("C07BB07", "Bisoprolol og thiazider", "5/12,5 mg", "1 tablet dagligt", "P"),
    Drug("C07CB02", "Metoprolol og andre diuretika", "100/12,5 mg", "1 tablet dagligt", "P"),
    Drug("C03CA01", "Furosemid", "40 mg", "1 tablet dagligt", "V"),
    Drug("C03CA02", "Bumetanid", "1 mg", "1 tablet dagligt", "P"),
    Drug("C03DA01", "Spironolacton", "25 mg", "1 tablet dagligt", "P"),
    Drug("C08CA01", "Amlodipin", "5 mg", "1 tablet dagligt"),
    Drug("C07AB07", "Bisoprolol", "5 mg", "1 tablet dagligt", "V"),
    Drug("C07AB02", "Metoprolol", "100 mg", "1 depottablet dagligt", "P"),
    Drug("C01DA02", "Glyceryltrinitrat", "0,5 mg", "1 resoribletablet under tungen ved behov"),
    Drug("C01AA05", "Digoxin", "62,5 mikrog", "1 tablet dagligt", "V"),
    Drug("A12BA01", "Kaliumchlorid", "750 mg", "1 depottablet 2 gange dagligt"),
    # airways
    Drug("R03AC02", "Salbutamol", "0,1 mg/dosis", "1-2 sug ved behov", "P"),
    Drug("R03BA02", "Budesonid", "200 mikrog/dosis", "1 sug 2 gange dagligt", "P"),
    Drug(
        "R03AK07",
        "Formoterol og budesonid",
        "4,5/160 mikrog/dosis",
        "2 sug 2 gange dagligt",
        "P",
        since_year=2001,
    ),
    Drug("R03BB04", "Tiotropiumbromid", "2,5 mikrog/dosis", "2 sug 1 gang dagligt", "P", since_year=2002),
    Drug(
        "R03AL03",
        "Vilanterol og umeclidiniumbromid",
        "22/55 mikrog/dosis",
        "1 inhalation dagligt",
        "P",
        since_year=2014,
    ),
    # mental health, dementia
    Drug("N06AB10", "Escitalopram", "10 mg", "1 tablet dagligt", "P", since_year=2002),
    Drug("N06AB06", "Sertralin", "50 mg", "1 tablet dagligt", "P"),
    Drug("N06AB04", "Citalopram", "20 mg", "1 tablet dagligt", "P"),
    Drug("N06AX11", "Mirtazapin", "15 mg", "1 tablet til natten", "P"),
    Drug("N06DA02", "Donepezil", "10 mg", "1 tablet dagligt", since_year=1997),
    # pain, inflammation, stomach protection
    Drug("M01AE01", "Ibuprofen", "400 mg", "1 tablet 3 gange dagligt", "V"),
    Drug("M01AB05", "Diclofenac", "50 mg", "1 tablet 2 gange dagligt", "P"),
    Drug("M01AE02", "Naproxen", "250 mg", "1 tablet 2 gange dagligt", "P"),
    Drug("A02BC01", "Omeprazol", "20 mg", "1 kapsel dagligt", "P"),
    Drug("A02BC02", "Pantoprazol", "40 mg", "1 tablet dagligt", "P"),
    Drug("N02BE01", "Paracetamol", "500 mg", "2 tabletter 3 gange dagligt"),
    Drug("N02AX02", "Tramadol", "50 mg", "1 kapsel op til 3 gange dagligt"),
    Drug("N02AA05", "Oxycodon", "10 mg", "1 depottablet 2 gange dagligt", "P"),
    Drug("N02AE01", "Buprenorphin", "10 mikrog/time", "1 depotplaster hver 7. dag", "P"),
    Drug("L04AX03", "Methotrexat", "2,5 mg", "6 tabletter 1 gang ugentligt", "V"),
    Drug("B03BB01", "Folsyre", "5 mg", "1 tablet 1 gang ugentligt"),
    Drug("H02AB06", "Prednisolon", "25 mg", "1½ tablet dagligt i 5 dage", "P", course_days=5),
    # antibiotic courses
    Drug("J01CE02", "Phenoxymethylpenicillin", "1 mio. IE", "1 tablet 4 gange dagligt i 7 dage", "V", 7),
    Drug("J01CA08", "Pivmecillinam", "400 mg", "1 tablet 3 gange dagligt i 3 dage", "V", 3),
    Drug("J01CA04", "Amoxicillin", "500 mg", "1 tablet 3 gange dagligt i 7 dage", "V", 7),
    Drug("J01CR02", "Amoxicillin og clavulansyre", "500/125 mg", "1 tablet 3 gange dagligt i 7 dage", "V", 7),
    Drug("J01FA09", "Clarithromycin", "250 mg", "1 tablet 2 gange dagligt i 7 dage", "P", 7),
    Drug("J01FA10", "Azithromycin", "500 mg", "1 tablet dagligt i 3 dage", "P", 3),
    Drug("J01EB02", "Sulfamethizol", "1 g", "1 tablet 2 gange dagligt i 3 dage", "U", 3),
    Drug("J01MA02", "Ciprofloxacin", "500 mg", "1 tablet 2 gange dagligt i 7 dage", "V", 7),
    Drug("J01EA01", "Trimethoprim", "200 mg", "1 tablet 2 gange dagligt i 3 dage", "V", 3),
    Drug("J01XE01", "Nitrofurantoin", "50 mg", "1 tablet 4 gange dagligt i 5 dage", "V", 5),
    Drug("J01CF01", "Dicloxacillin", "500 mg", "1 kapsel 3 gange dagligt i 7 dage", "U", 7),
    # other long-term drugs common in older patients (the polypharmacy pool, see model.EXTRA_DRUG_POOL)
    Drug("H03AA01", "Levothyroxin", "100 mikrog", "1 tablet dagligt"),
    Drug("A11CC05", "Colecalciferol", "20 mikrog", "1 tablet dagligt"),
    Drug("A12AA04", "Calciumcarbonat", "500 mg", "1 tablet 2 gange dagligt"),
    Drug("M05BA04", "Alendronsyre", "70 mg", "1 tablet 1 gang ugentligt"),
    Drug("G04CA02", "Tamsulosin", "0,4 mg", "1 kapsel dagligt", only_sex="male"),
    Drug("G04CB01", "Finasterid", "5 mg", "1 tablet dagligt", only_sex="male"),
    Drug("G03CA03", "Estradiol", "10 mikrog", "1 vagitorie 2 gange ugentligt", only_sex="female"),
    Drug("G04BD08", "Solifenacin", "5 mg", "1 tablet dagligt", since_year=2004),
    Drug("M04AA01", "Allopurinol", "100 mg", "1 tablet dagligt"),
    Drug("A06AD65", "Macrogol, kombinationer", "13,7 g", "1 brev dagligt"),
    Drug("A07DA03", "Loperamid", "2 mg", "1 kapsel ved behov, højst 6 dagligt"),
    Drug("N05CF01", "Zopiclon", "7,5 mg", "1 tablet til natten ved behov", "P"),
    Drug("N05CH01", "Melatonin", "2 mg", "1 depottablet til natten", since_year=2008),
    Drug("R06AE07", "Cetirizin", "10 mg", "1 tablet dagligt"),
    Drug("R01AD09", "Mometason", "50 mikrog/dosis", "2 pust i hvert næsebor dagligt"),
    Drug("S01EE01", "Latanoprost", "50 mikrog/ml", "1 dråbe i hvert øje om aftenen"),
    Drug("B03AA07", "Ferrosulfat", "100 mg Fe", "1 tablet dagligt"),
    Drug("B03BA01", "Cyanocobalamin", "1 mg/ml", "1 ml intramuskulært hver 3. måned"),
    Drug("N03AX16", "Pregabalin", "75 mg", "1 kapsel 2 gange dagligt", since_year=2004),
    Drug("D07AC01", "Betamethason", "0,1 %", "Smøres på tyndt 1 gang dagligt"),
)
DRUGS: Final = {d.atc: d for d in _DRUG_LIST}

# Groups of ATC codes (prefixes) the simulation's rules read, with the combination tablets counted where
# their parts belong (a statin/ezetimibe tablet is a statin, an ACE inhibitor/thiazide one a diuretic).
STATIN_ATC: Final = ("C10AA", "C10BA")
EZETIMIBE_ATC: Final = ("C10AX09", "C10BA")
THIAZIDE_ATC: Final = ("C03A", "C07B", "C09BA", "C09DA", "C09XA52")
DIURETIC_ATC: Final = ("C03", "C07B", "C07C", "C09BA", "C09DA", "C09XA52")
RAAS_MONITORED_ATC: Final = (
    "C09A",
    "C09B",
    "C09C",
    "C09D",
    "C03C",
)  # ACE inhibitor/ARB (also combined), loop
OPIOID_ATC: Final = ("N02A",)
METHOTREXATE: Final = "L04AX03"
METFORMIN: Final = "A10BA02"
# Combination tablets: (first drug, second drug) -> the tablet that replaces both.
COMBINATIONS: Final = {
    ("C10AA05", "C10AX09"): "C10BA05",
    ("C10AA01", "C10AX09"): "C10BA02",
    ("C09AA02", "C03AA03"): "C09BA02",
    ("C09CA01", "C03AA03"): "C09DA01",
    ("C07AB07", "C03AA03"): "C07BB07",
    ("C07AB02", "C03AA03"): "C07CB02",
}
ALISKIREN_THIAZIDE: Final = "C09XA52"
STRONG_OPIOIDS: Final = (("N02AA05", 0.6), ("N02AE01", 0.4))
UTI_AVOID_WITH_METHOTREXATE: Final = ("J01EA01", "J01EB02")  # trimethoprim, sulfamethizole

# --- lab tests (NPU, Danish DNK extension under the same system) and measurements (LOINC) ----------------

SMOKING: Final = {
    c.code: c
    for c in (
        _c(codes.SNOMED, "77176002", "Ryger"),
        _c(codes.SNOMED, "8517006", "Tidligere ryger"),
        _c(codes.SNOMED, "266919005", "Har aldrig røget"),
    )
}

_LAB: Final = "laboratory"
_VITAL: Final = "vital-signs"


def _both(low: float | None, high: float | None) -> dict[Sex, tuple[float | None, float | None]]:
    return {"male": (low, high), "female": (low, high)}


_MEASURE_LIST: Final = (
    Measure(
        "hba1c",
        _c(codes.NPU, "NPU27300", "B-Hæmoglobin A1c (IFCC)", "V"),
        "mmol/mol",
        "mmol/mol",
        0,
        _LAB,
        _both(31, 44),
    ),
    Measure(
        "egfr",
        _c(codes.NPU, "DNK35302", "eGFR (CKD-EPI)", "V*"),
        "mL/min/1,73 m²",
        "mL/min/{1.73_m2}",
        0,
        _LAB,
        _both(60, None),
    ),
    Measure(
        "creatinine",
        _c(codes.NPU, "NPU18016", "P-Kreatinin", "V"),
        "µmol/L",
        "umol/L",
        0,
        _LAB,
        {"male": (60, 105), "female": (45, 90)},
    ),
    Measure(
        "ldl",
        _c(codes.NPU, "NPU01568", "P-Kolesterol LDL", "V"),
        "mmol/L",
        "mmol/L",
        1,
        _LAB,
        _both(None, 3.0),
    ),
    Measure(
        "uacr",
        _c(codes.NPU, "NPU19661", "U-Albumin/Kreatinin-ratio", "V*"),
        "mg/g",
        "mg/g",
        0,
        _LAB,
        _both(None, 30),
    ),
    Measure(
        "potassium", _c(codes.NPU, "NPU03230", "P-Kalium", "V"), "mmol/L", "mmol/L", 1, _LAB, _both(3.5, 4.4)
    ),
    Measure(
        "sodium", _c(codes.NPU, "NPU03429", "P-Natrium", "V"), "mmol/L", "mmol/L", 0, _LAB, _both(137, 145)
    ),
    Measure(
        "alat",
        _c(codes.NPU, "NPU19651", "P-Alanintransaminase (ALAT)", "V"),
        "U/L",
        "U/L",
        0,
        _LAB,
        {"male": (10, 70), "female": (10, 45)},
    ),
    Measure(
        "haemoglobin",
        _c(codes.NPU, "NPU02319", "B-Hæmoglobin", "V*"),
        "mmol/L",
        "mmol/L",
        1,
        _LAB,
        {"male": (8.3, 10.5), "female": (7.3, 9.5)},
    ),
    Measure("weight", _c(codes.NPU, "NPU03804", "Pt-Legemsvægt", "V"), "kg", "kg", 1, _VITAL),
    Measure("bmi", _c(codes.LOINC, "39156-5", "Body mass index (BMI)", "V"), "kg/m²", "kg/m2", 1, _VITAL),
    Measure("systolic", _c(codes.LOINC, "8480-6", "Systolisk blodtryk", "V"), "mmHg", "mm[Hg]", 0, _VITAL),
    Measure("diastolic", _c(codes.LOINC, "8462-4", "Diastolisk blodtryk", "V"), "mmHg", "mm[Hg]", 0, _VITAL),
    # Spirometry: no Danish NPU/MCS code is verified, so LOINC (verified) in the unit the GP reads, %.
    Measure("fev1_fvc", _c(codes.LOINC, "19926-5", "FEV1/FVC", "V"), "%", "%", 0, "exam"),
    Measure("fev1", _c(codes.LOINC, "20150-9", "FEV1", "V"), "L", "L", 2, "exam"),
)
MEASURES: Final = {m.key: m for m in _MEASURE_LIST}
BLOOD_PRESSURE_PANEL: Final = _c(codes.LOINC, "85354-9", "Blodtryk", "V")
SMOKING_STATUS: Final = _c(codes.LOINC, "72166-2", "Rygestatus")

# COPD scores at the yearly control, as MedCom codes them (no LOINC/NPU code is used by Danish systems).
_SCORES: Final = (
    Measure("mrc", _c(MEDCOM, "MCS88021", "MRC-dyspnøskala", "V"), "point", "{score}", 0, "survey"),
    Measure("cat", _c(MEDCOM, "MCS88137", "CAT-score (KOL)", "V"), "point", "{score}", 0, "survey"),
)
SCORES: Final = {m.key: m for m in _SCORES}

# How a measurement is coded depends on the clinic system (docs/demo-model.md, "Coding"): most Danish
# systems send NPU/DNK codes (system urn:oid:1.2.208.176.2.1), some LOINC; home blood pressure and
# spirometry from telemedicine come with MedCom codes. Key: (coding style, measurement key).
VITAL_CODES: Final = {
    ("danish", "systolic"): _c(codes.NPU_OID, "DNK05472", "Arm-Blodtryk(systolisk)", "V"),
    ("danish", "diastolic"): _c(codes.NPU_OID, "DNK05473", "Arm-Blodtryk(diastolisk)", "V"),
    ("danish", "weight"): _c(codes.NPU_OID, "NPU03804", "Pt-Legemsvægt", "V"),
    ("danish", "bmi"): _c(codes.NPU_OID, "NPU27281", "Pt-Legeme; massekoefficient (BMI)", "V"),
    ("loinc", "systolic"): MEASURES["systolic"].code,
    ("loinc", "diastolic"): MEASURES["diastolic"].code,
    ("loinc", "weight"): _c(codes.LOINC, "29463-7", "Legemsvægt", "V"),
    ("loinc", "bmi"): MEASURES["bmi"].code,
    ("home", "systolic"): _c(MEDCOM, "MCS88019", "Arm-Blodtryk(systolisk) hjemme", "V"),
    ("home", "diastolic"): _c(MEDCOM, "MCS88020", "Arm-Blodtryk(diastolisk) hjemme", "V"),
    ("medcom", "fev1"): _c(MEDCOM, "MCS88015", "Lunge-Lungefunktionsundersøgelse FEV1", "V"),
}
# Other spellings of UCUM units that Danish labs and systems send (lower-case litre, eGFR without the
# UCUM annotation braces): a patient whose lab uses them gets them on every result in these units.
UNIT_SPELLINGS: Final = {
    "mmol/L": "mmol/l",
    "umol/L": "umol/l",
    "mL/min/{1.73_m2}": "mL/min/1.73m2",
    "U/L": "U/l",
}

UCUM_UNITS: Final = (
    {m.ucum: m.unit for m in (*_MEASURE_LIST, *_SCORES)}
    | {"h/wk": "timer pr. uge", "d": "døgn"}
    | {other: other for other in UNIT_SPELLINGS.values()}
)

# --- contacts and home care (our code systems, see docs/fhir-mapping.md) ------------------------------------

CONTACT_TYPES: Final = {
    c.code: c
    for c in (
        _c(codes.CONTACT_TYPE, "gp_consultation", "Konsultation i praksis"),
        _c(codes.CONTACT_TYPE, "phone", "Telefonkonsultation"),
        _c(codes.CONTACT_TYPE, "email", "E-konsultation"),
        _c(codes.CONTACT_TYPE, "home_visit", "Sygebesøg"),
        _c(codes.CONTACT_TYPE, "outpatient", "Ambulant besøg på sygehus"),
        _c(codes.CONTACT_TYPE, "inpatient", "Indlæggelse"),
        _c(codes.CONTACT_TYPE, "emergency", "Akutmodtagelse"),
    )
}
# Which HL7 v3 ActCode class each contact type is sent with.
CONTACT_CLASS: Final = {
    "gp_consultation": "AMB",
    "phone": "VR",
    "email": "VR",
    "home_visit": "HH",
    "outpatient": "AMB",
    "inpatient": "IMP",
    "emergency": "EMER",
}

HOME_CARE_CATEGORY: Final = _c(codes.SERVICE_CATEGORY, "home-care", "Hjemmepleje")
HOME_CARE_SERVICES: Final = {
    c.code: c
    for c in (
        _c(codes.HOME_CARE_SERVICE, "personal-care", "Personlig pleje"),
        _c(codes.HOME_CARE_SERVICE, "practical-help", "Praktisk hjælp"),
        _c(codes.HOME_CARE_SERVICE, "home-nursing", "Hjemmesygepleje"),
        _c(codes.HOME_CARE_SERVICE, "meals", "Madservice"),
        _c(codes.HOME_CARE_SERVICE, "emergency-alarm", "Nødkald"),
    )
}

# --- HL7 terminology the resources need -------------------------------------------------------------------

HTEST: Final = _c(ACT_REASON, "HTEST", "test health data", "V")
ACTIVE: Final = _c(CONDITION_CLINICAL, "active", "Active", "V")
RESOLVED: Final = _c(CONDITION_CLINICAL, "resolved", "Resolved", "V")
CONFIRMED: Final = _c(CONDITION_VER_STATUS, "confirmed", "Confirmed", "V")
ENCOUNTER_DIAGNOSIS: Final = _c(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis", "V")
OBSERVATION_CATEGORIES: Final = {
    c.code: c
    for c in (
        _c(OBSERVATION_CATEGORY, "laboratory", "Laboratory", "V"),
        _c(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs", "V"),
        _c(OBSERVATION_CATEGORY, "social-history", "Social History", "V"),
        _c(OBSERVATION_CATEGORY, "exam", "Exam", "V"),
        _c(OBSERVATION_CATEGORY, "survey", "Survey", "V"),
    )
}
HIGH: Final = _c(INTERPRETATION, "H", "High", "V")
LOW: Final = _c(INTERPRETATION, "L", "Low", "V")
ACT_CODES: Final = {
    c.code: c
    for c in (
        _c(ACT_CODE, "AMB", "ambulatory", "V"),
        _c(ACT_CODE, "VR", "virtual", "V"),
        _c(ACT_CODE, "HH", "home health", "V"),
        _c(ACT_CODE, "IMP", "inpatient encounter", "V"),
        _c(ACT_CODE, "EMER", "emergency", "V"),
    )
}
EMERGENCY_PRIORITY: Final = _c(ACT_PRIORITY, "EM", "emergency", "V")
ELECTIVE_PRIORITY: Final = _c(ACT_PRIORITY, "EL", "elective", "V")


def _tables() -> dict[str, dict[str, str]]:
    every: list[Code] = [
        *ICPC2.values(),
        *SKS_D.values(),
        *(d.code() for d in DRUGS.values()),
        *(m.code for m in MEASURES.values()),
        *(m.code for m in SCORES.values()),
        *VITAL_CODES.values(),
        BLOOD_PRESSURE_PANEL,
        SMOKING_STATUS,
        *SMOKING.values(),
        *CONTACT_TYPES.values(),
        HOME_CARE_CATEGORY,
        *HOME_CARE_SERVICES.values(),
        HTEST,
        ACTIVE,
        RESOLVED,
        CONFIRMED,
        ENCOUNTER_DIAGNOSIS,
        *OBSERVATION_CATEGORIES.values(),
        HIGH,
        LOW,
        *ACT_CODES.values(),
        EMERGENCY_PRIORITY,
        ELECTIVE_PRIORITY,
    ]
    tables: dict[str, dict[str, str]] = {}
    for code in every:
        tables.setdefault(code.system, {})[code.code] = code.display
    tables[codes.UCUM] = dict(UCUM_UNITS)
    return tables


CODE_TABLES: Final = _tables()
"""FHIR system URI -> {code: display}: the only codes the generator may write."""
