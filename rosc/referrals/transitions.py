"""The referral Task lifecycle as an explicit table: which move, by which side, needing what.

Only moves in TRANSITIONS are legal. `moves_for(referral_status, side)` is what a page offers.
Reasons: a decline or failure needs a coded reason; on-hold and cancel need a few words
(FHIR: statusReason "should be included" for rejected, cancelled, on-hold and failed).
"""

from dataclasses import dataclass

from rosc.referrals.models import ReferralStatus as S
from rosc.referrals.models import StatusReason as R

SENDER = "sender"
RECIPIENT = "recipient"
EITHER = "either"


@dataclass(frozen=True)
class Move:
    to: str
    by: str  # SENDER, RECIPIENT or EITHER
    label: str  # the button's words
    reasons: tuple[str, ...] = ()  # coded reasons offered; a choice is required when not empty
    needs_text: bool = False  # a few words are required (statusReason.text)


DECLINE_REASONS = (
    R.NO_CAPACITY,
    R.NOT_ELIGIBLE,
    R.COULD_NOT_REACH,
    R.PERSON_DECLINED,
    R.OTHER,
)
FAIL_REASONS = (
    R.COULD_NOT_REACH,
    R.PERSON_DECLINED,
    R.PERSON_CHOSE_OTHER,
    R.NOT_ELIGIBLE,
    R.NO_LONGER_NEEDED,
    R.OTHER,
)

_CANCEL = Move(S.CANCELLED, EITHER, "Cancel the referral", needs_text=True)
_ERROR = Move(S.ENTERED_IN_ERROR, SENDER, "Mark as entered in error", needs_text=True)
_FAIL = Move(S.FAILED, RECIPIENT, "Could not be completed", reasons=FAIL_REASONS)

TRANSITIONS: dict[str, tuple[Move, ...]] = {
    S.DRAFT: (
        Move(S.REQUESTED, SENDER, "Send the referral"),
        _CANCEL,
        _ERROR,
    ),
    S.REQUESTED: (
        Move(S.ACCEPTED, RECIPIENT, "Accept"),
        Move(S.REJECTED, RECIPIENT, "Decline", reasons=DECLINE_REASONS),
        _CANCEL,
        _ERROR,
    ),
    S.ACCEPTED: (
        Move(S.IN_PROGRESS, RECIPIENT, "Start work"),
        Move(S.COMPLETED, RECIPIENT, "Mark completed"),
        _FAIL,
        _CANCEL,
        _ERROR,
    ),
    S.IN_PROGRESS: (
        Move(S.ON_HOLD, RECIPIENT, "Put on hold", needs_text=True),
        Move(S.COMPLETED, RECIPIENT, "Mark completed"),
        _FAIL,
        _CANCEL,
        _ERROR,
    ),
    S.ON_HOLD: (
        Move(S.IN_PROGRESS, RECIPIENT, "Resume"),
        _FAIL,
        _CANCEL,
        _ERROR,
    ),
    S.REJECTED: (_ERROR,),
    S.COMPLETED: (_ERROR,),
    S.FAILED: (_ERROR,),
    S.CANCELLED: (_ERROR,),
    S.ENTERED_IN_ERROR: (),
}


def moves_for(status: str, side: str) -> tuple[Move, ...]:
    """The moves `side` may make from `status`, in the order a page shows them."""
    return tuple(m for m in TRANSITIONS.get(status, ()) if m.by in (side, EITHER))


def move_for(status: str, to: str, side: str) -> Move | None:
    """The legal move from `status` to `to` for `side`, or None."""
    return next((m for m in moves_for(status, side) if m.to == to), None)
