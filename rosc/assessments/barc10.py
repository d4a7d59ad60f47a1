"""The Brief Assessment of Recovery Capital (BARC-10), shipped with ROSC Hub as data.

Facts from docs/shared standards §3: the ten items as published, rated 1 (Strongly disagree) to
6 (Strongly agree), no item reverse-scored, a total of 10 to 60 (higher: more recovery capital),
and predictive validity for sustained remission "using a cut-off score of 47" (Vilsaint et al.
2017). The paper validates a single total: no bands and no sub-scores are shipped, because none
are validated.
"""

from typing import Any

CODE = "BARC-10"
NAME = "Brief Assessment of Recovery Capital (BARC-10)"
CITATION = (
    "Vilsaint CL, Kelly JF, Bergman BG, Groshkova T, Best D, White W. Development and validation "
    "of a Brief Assessment of Recovery Capital (BARC-10) for alcohol and drug use disorder. "
    "Drug and Alcohol Dependence 2017;177:71-76."
)
# The paper's abstract; the scale wording is from the PhenX Toolkit protocol (protocol 590502).
SOURCE_URL = (
    "https://scholar.harvard.edu/johnfkelly/publications/"
    "development-and-validation-brief-assessment-recovery-capital-barc-10-alcohol"
)
LICENCE_NOTE = (
    "The PhenX Toolkit protocol says: “This protocol is freely available; permission not "
    "required for use.” One commercial site states a CC BY-NC-ND licence instead; treat the "
    "licence as unconfirmed before redistributing the items."
)
VERSION = "2017"
INSTRUCTIONS = (
    "Read each statement with the person. They choose how much they agree, as things are for "
    "them now. There are no right or wrong answers."
)
ITEMS: tuple[str, ...] = (
    "There are more important things to me in life than using substances.",
    "In general I am happy with my life.",
    "I have enough energy to complete the tasks I set myself.",
    "I am proud of the community I live in and feel part of it.",
    "I get lots of support from friends.",
    "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
    "My living space has helped to drive my recovery journey.",
    "I take full responsibility for my actions.",
    "I am happy dealing with a range of professional people.",
    "I am making good progress on my recovery journey.",
)
SCALE: tuple[tuple[int, str], ...] = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Somewhat disagree"),
    (4, "Somewhat agree"),
    (5, "Agree"),
    (6, "Strongly agree"),
)
CUTOFF = 47
CUTOFF_LABEL = "47: associated with sustained remission (more than 12 months)"
CUTOFF_SOURCE = (
    "Vilsaint et al. 2017, Drug and Alcohol Dependence 177:71-76: predictive validity with "
    "sustained remission “using a cut-off score of 47”."
)


def fields() -> dict[str, Any]:
    """The instrument's fields, as stored on Instrument."""
    return {
        "code": CODE,
        "name": NAME,
        "citation": CITATION,
        "source_url": SOURCE_URL,
        "licence_note": LICENCE_NOTE,
        "version": VERSION,
        "instructions": INSTRUCTIONS,
        "items": [
            {"key": str(i), "text": text, "reverse": False} for i, text in enumerate(ITEMS, 1)
        ],
        "scale": [{"value": value, "label": label} for value, label in SCALE],
        "scoring": "sum",
        "bands": [],
        "cutoff": CUTOFF,
        "cutoff_label": CUTOFF_LABEL,
        "cutoff_source": CUTOFF_SOURCE,
        "is_active": True,
    }


def install(instrument_model: Any) -> Any:
    """Create or refresh the shipped BARC-10 row. Takes the model class, so a migration can too."""
    row, _ = instrument_model.objects.update_or_create(owner=None, code=CODE, defaults=fields())
    return row
