"""The two measures self-assessed here, in their sources' own words.

The ten national standards for recovery community organizations are as listed in "National
Standards for RCOs" (Recovery Community Organizations Toolkit, BJA COSSUP, December 2024, after
Faces and Voices of Recovery). The seventeen elements are "Elements of Recovery-Oriented Systems
of Care" (SAMHSA/CSAT, as published by New Hampshire for its RROSC). Numbers are the sources'
order; stored answers carry the number, so the wording can be corrected without a migration.
"""

from django.db import models

RCO_STANDARDS: tuple[tuple[int, str], ...] = (
    (1, "Nonprofit organization"),
    (2, "Led and governed by the recovery community"),
    (3, "Primary focus is recovery from SUDs"),
    (4, "Grassroots"),
    (5, "Participatory process"),
    (6, "PRSS"),
    (7, "All pathways towards recovery"),
    (8, "Diverse, equitable, and inclusive policies, practices, and services"),
    (9, "Recovery-friendly language"),
    (10, "Code of ethics and grievance policies"),
)
RCO_STANDARD_TITLES: dict[int, str] = dict(RCO_STANDARDS)
# Spelled out where the source uses an abbreviation, for people who do not know it.
RCO_STANDARD_HINTS: dict[int, str] = {
    3: "SUDs: substance use disorders.",
    6: "PRSS: peer recovery support services.",
}

ROSC_ELEMENTS: tuple[tuple[int, str], ...] = (
    (1, "Person-centered"),
    (2, "Family and other ally involvement"),
    (3, "Individualized and comprehensive services across the lifespan"),
    (4, "Systems anchored in the community"),
    (5, "Continuity of care"),
    (6, "Partnership / Consultant relationships"),
    (7, "Strength-based"),
    (8, "Culturally Responsive"),
    (9, "Responsiveness to Personal Belief Systems"),
    (10, "Commitment to Peer Recovery Support Services"),
    (11, "Inclusion of the Voices and Experiences of Recovering Individuals and their Families"),
    (12, "Integrated Services"),
    (13, "System-wide Education & Training"),
    (14, "Ongoing Monitoring and Outreach"),
    (15, "Outcomes-driven"),
    (16, "Research-based"),
    (17, "Adequately and Flexibly Financed"),
)
ROSC_ELEMENT_TITLES: dict[int, str] = dict(ROSC_ELEMENTS)


class Rating(models.TextChoices):
    """How far an RCO meets one standard."""

    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class ElementScore(models.IntegerChoices):
    """How far a council's system of care shows one element."""

    NOT_STARTED = 0, "0 — Not started"
    EMERGING = 1, "1 — Emerging"
    DEVELOPING = 2, "2 — Developing"
    ESTABLISHED = 3, "3 — Established"
    SUSTAINED = 4, "4 — Sustained"


MAX_ELEMENT_SCORE = ElementScore.SUSTAINED.value
MAX_TOTAL = MAX_ELEMENT_SCORE * len(ROSC_ELEMENTS)
# Organization kinds that assess themselves against the RCO standards (Organization.Kind).
RCO_KINDS = frozenset({"rco", "recovery_center", "recovery_cafe"})
