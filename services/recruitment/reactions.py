"""What recruitment does with other stages' facts: a confirmed placement involves its employer in the case."""

from __future__ import annotations

from services.recruitment import domain, organisation_store, store
from shared.contracts.placement import PlacementConfirmed
from shared.handling import react
from shared.unit_of_work import UnitOfWork


async def placement_confirmed(uow: UnitOfWork, event: PlacementConfirmed) -> None:
    organisation = await organisation_store.find(uow.conn, event.employer_id)
    await react(
        uow,
        event.participant_id,
        load=store.lock,
        save=store.save,
        decide=lambda p: domain.employer_placed(p, organisation, event),
    )
