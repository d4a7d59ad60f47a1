"""The recovery-support taxonomy that ships with ROSC Hub, as plain data.

Ids are uuid5 of a fixed namespace and the term's code, so every installation (and every export)
gives the same term the same HSDS id. Add terms at the end; never change a code.
"""

import uuid

NAMESPACE = uuid.UUID("6f0b8f3e-2b1d-5c8e-9a57-3f0f6a1c2d40")
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:rosc-recovery-support")
TAXONOMY_NAME = "ROSC Hub recovery support"
TAXONOMY_DESCRIPTION = (
    "Kinds of help a person in recovery, or their family, may look for. Every recovery pathway "
    "is equal here: the terms describe help, they rank nothing."
)
TAXONOMY_VERSION = "1"

# (code, name, description)
TERMS: tuple[tuple[str, str, str], ...] = (
    ("recovery-coaching", "Recovery coaching", "One-to-one support from a recovery coach."),
    ("support-groups", "Support groups", "Mutual-aid and peer support meetings."),
    ("recovery-housing", "Recovery housing", "Housing that supports people in recovery."),
    ("recovery-residence", "Recovery residence", "A certified recovery residence."),
    ("employment", "Employment", "Help finding and keeping work."),
    ("education", "Education", "Schooling, training and collegiate recovery programs."),
    ("transportation", "Transportation", "Rides and travel help to appointments and work."),
    ("family-support", "Family support", "Support for families and loved ones."),
    ("harm-reduction", "Harm reduction", "Services that reduce the harms of substance use."),
    ("naloxone", "Naloxone", "Naloxone and overdose-response training."),
    ("treatment-referral", "Treatment referral", "Help finding and entering treatment."),
    (
        "medication-for-oud",
        "Medication for opioid use disorder",
        "Buprenorphine, methadone or naltrexone, and help getting them.",
    ),
    ("reentry-support", "Reentry support", "Support when coming home from jail or prison."),
    ("legal-help", "Legal help", "Legal aid, record relief and court support."),
    (
        "peer-run-recovery-community-center",
        "Peer-run recovery community center",
        "A recovery community center run by people in recovery.",
    ),
    ("recovery-cafe", "Recovery café", "A recovery café: a drop-in community space."),
    ("childcare", "Childcare", "Childcare while a parent attends services."),
    ("food", "Food", "Meals and groceries."),
    ("health-care", "Health care", "Primary and preventive health care."),
    ("mental-health", "Mental health", "Mental health support and counseling."),
    ("crisis-support", "Crisis support", "Help right now, any time of day."),
    ("digital-recovery-support", "Digital recovery support", "Online meetings and apps."),
)


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, code)


# --- the recovery extensions, published as HSDS attributes ------------------------------------
# An organization's recovery fields (rosc.accounts.models.Organization) are not HSDS columns.
# An export publishes each as an HSDS `attribute` of the organization (link_entity
# "organization"), its `taxonomy_term_id` one of these terms and its `value` the field's value;
# an import reads them back. Same uuid5 scheme as above, so the ids are the same everywhere.

EXTENSIONS_TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:rosc-recovery-extensions")
EXTENSIONS_TAXONOMY_NAME = "ROSC Hub recovery extensions"
EXTENSIONS_TAXONOMY_DESCRIPTION = (
    "Facts ROSC Hub keeps about an organization beside the HSDS columns, published as "
    "attributes of the organization: the attribute's value holds the fact."
)
EXTENSIONS_TAXONOMY_VERSION = "1"

# (code, name, description): the code is also the Organization field it carries.
EXTENSION_TERMS: tuple[tuple[str, str, str], ...] = (
    ("kind", "Kind of organization", "What kind of organization this is (a ROSC Hub code)."),
    ("peer_led", "Peer-led", "true when run by and for people with lived experience."),
    (
        "recovery_pathway",
        "Recovery pathway supported",
        "One recovery pathway the organization supports (one attribute each; none ranked).",
    ),
    (
        "accepting_new_people",
        "Accepting new people",
        "true when new people are welcome now, false when not; absent when unknown.",
    ),
    ("capacity_note", "Capacity note", "A short note on waiting times or capacity."),
    (
        "last_verified_on",
        "Last verified on",
        "The date (YYYY-MM-DD) the listing was last confirmed to be true.",
    ),
)


def extension_term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"extension:{code}")
