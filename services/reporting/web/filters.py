"""The filter form's values: read from a query string, written back into links, and checked against the scope.

A value that cannot be read (a malformed date, an unknown country group) is ignored rather than refused: the form
shows what was applied. A region or organisation outside the account's scope is refused outright, so a coordinator
asking for another region sees a refusal, not an empty page that might be mistaken for "nothing happened there".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from services.reporting.figures import Filters, Role, Scope

COUNTRY_GROUPS = ("eu_eea_ch", "third_country")
_CODE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")  # the contracts' RegionCode
_DISTRICT = re.compile(r"^\d{5}$")


def parse(query: Mapping[str, str]) -> Filters:
    """Filters from the form's fields (`period`, `from`, `to`, `region`, `district`, `org`, `profession`,
    `country_group`); empty or unreadable fields mean "no filter"."""
    return Filters(
        period_id=_match(query.get("period"), _CODE),
        from_day=_day(query.get("from")),
        to_day=_day(query.get("to")),
        region=_match(query.get("region"), _REGION),
        district=_match(query.get("district"), _DISTRICT),
        org_id=_match(query.get("org"), _CODE),
        profession=_match(query.get("profession"), _CODE),
        country_group=value if (value := query.get("country_group")) in COUNTRY_GROUPS else None,
    )


def fields(filters: Filters) -> dict[str, str]:
    """The form fields that reproduce `filters` (only those set)."""
    values = {
        "period": filters.period_id,
        "from": filters.from_day.isoformat() if filters.from_day else None,
        "to": filters.to_day.isoformat() if filters.to_day else None,
        "region": filters.region,
        "district": filters.district,
        "org": filters.org_id,
        "profession": filters.profession,
        "country_group": filters.country_group,
    }
    return {name: value for name, value in values.items() if value}


def query(filters: Filters, **extra: str) -> str:
    """`?period=...&region=...` for links that keep the current filters ("" when there are none)."""
    pairs = {**fields(filters), **extra}
    return "?" + urlencode(pairs) if pairs else ""


def refusal(filters: Filters, scope: Scope) -> str | None:
    """The text key of the refusal when the filters ask for more than the scope allows, else None."""
    if scope.role is Role.COORDINATOR and filters.region is not None and filters.region not in scope.regions:
        return "error.region_refused"
    if scope.role is Role.PARTNER and filters.org_id is not None and filters.org_id != scope.org_id:
        return "error.org_refused"
    return None


def _match(value: str | None, pattern: re.Pattern[str]) -> str | None:
    return value if value and pattern.match(value) else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
