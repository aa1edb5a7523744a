"""Admin corrections to claims: merge two claims, or split a mention off into a claim of its own.

Both run in the caller's transaction, mark the mentions they place as `manual` (so automatic
re-alignment keeps them where the admin put them) and re-align the event.
"""

from sqlmodel import Session, select

from app.ingest.align import realign_event, resolve_claim_id
from app.models import Claim, Mention, utcnow


class ClaimCorrectionError(ValueError):
    """The correction cannot be made (unknown claim, other event, already merged ...)."""


def merge_claims(session: Session, claim_id: int, into_id: int) -> Claim:
    """Moves the mentions of `claim_id` into `into_id`; the old id then resolves to the survivor."""
    claim, survivor = _live(session, claim_id), _live(session, into_id)
    if claim.id == survivor.id:
        raise ClaimCorrectionError("a claim cannot be merged into itself")
    if claim.event_id != survivor.event_id:
        raise ClaimCorrectionError("only claims of the same event can be merged")
    for mention in _mentions(session, claim.id) + _mentions(session, survivor.id):
        mention.claim_id = survivor.id
        mention.manual = True
        session.add(mention)
    for absorbed in session.exec(select(Claim).where(Claim.merged_into_id == claim.id)).all():
        absorbed.merged_into_id = survivor.id
        session.add(absorbed)
    claim.merged_into_id = survivor.id
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()
    _realign(session, survivor)
    return survivor


def split_mention(session: Session, mention_id: int) -> Claim:
    """Moves one mention out of its claim into a new claim of its own."""
    mention = session.get(Mention, mention_id)
    if mention is None or mention.claim_id is None:
        raise ClaimCorrectionError(f"no aligned mention {mention_id}")
    claim = _live(session, mention.claim_id)
    if len(_mentions(session, claim.id)) == 1:
        raise ClaimCorrectionError("the mention is already the claim's only mention")
    new_claim = Claim(event_id=claim.event_id, kind=mention.kind, text=mention.text)
    session.add(new_claim)
    session.flush()
    mention.claim_id = new_claim.id
    mention.manual = True
    session.add(mention)
    session.flush()
    _realign(session, new_claim)
    return new_claim


def _live(session: Session, claim_id: int) -> Claim:
    resolved = resolve_claim_id(session, claim_id)
    claim = session.get(Claim, resolved) if resolved is not None else None
    if claim is None or claim.removed_at is not None:
        raise ClaimCorrectionError(f"no claim {claim_id}")
    return claim


def _mentions(session: Session, claim_id: int) -> list[Mention]:
    return list(session.exec(select(Mention).where(Mention.claim_id == claim_id)).all())


def _realign(session: Session, claim: Claim) -> None:
    if claim.event_id is not None:
        realign_event(session, claim.event_id)
    session.refresh(claim)
