"""Texts that go with consent and disclosure, kept verbatim so the records show what was said.

REDISCLOSURE_NOTICE is the 2024 wording of the §2.32(a)(2) statement (89 FR 12472, Feb 16 2024),
one of the two statements the rule allows. We ship the short statement because the full text of
the (a)(1) statement could not be confirmed against the official text; see
shared/design/standards.md §5.2. Each disclosure also carries the scope of its consent (§2.32(b)).
"""

REDISCLOSURE_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

# Shown to the person before they sign, and stored with each consent (§2.31(a)(6), (10)).
CONSENT_STATEMENTS = (
    "You may revoke (take back) this consent at any time, in writing or by telling staff, "
    "except where we have already shared information relying on it. Revoking stops any "
    "further sharing from that moment. "
    "Information shared under this consent may be shared again by the people who receive it "
    "and may then no longer be protected by federal privacy rules, except that records from "
    "a 42 CFR part 2 program may not be used in civil, criminal, administrative or legislative "
    "proceedings against you without your consent or a court order. "
    "You do not have to sign this consent. Saying no will not change the support you get "
    "from us."
)

# §2.35: added to the statements when a justice-system consent cannot be revoked for a while.
IRREVOCABILITY_STATEMENT = (
    "Because this consent is a condition of a justice-system diversion or reentry program, you "
    "cannot revoke it until the date or event written on it. After that, you may revoke it at "
    "any time."
)

# §2.35, said plainly wherever a consent is for a justice-system program (the form, the signing
# page, the printable copy), whether or not an irrevocable period is set.
JUSTICE_CONSENT_EXPLANATION = (
    "A consent given as a condition of a referral from the justice system (a court, jail, "
    "prison, probation or diversion program) may be irrevocable until a date or an event "
    "written on it (42 CFR §2.35): until then, it cannot be taken back. After that date or "
    "event, it may be revoked at any time. Without such a date or event, it may be revoked "
    "at any time, like any other consent."
)
