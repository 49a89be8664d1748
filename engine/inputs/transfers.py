"""A transfer as `jawaz transfer` and `POST /v1/transfers` read it, and a register of firms.

    {"id": "MY-PK-0001", "date": "2026-06-01", "asset": "USDT", "amount": "1000",
     "value": {"amount": "1000.00", "currency": "USD"},
     "originating_vasp": {"jurisdiction": "MY", "id": "MY-DAX-001"},
     "beneficiary_vasp": {"jurisdiction": "PK", "id": "PK-VASP-017"},
     "ivms101": {…}}

Either end may be `{"unhosted": true}`, a self-hosted wallet. Amounts are decimal strings
or whole numbers: a JSON fraction (a float) is refused, as is a negative amount. Every
fault is reported at once, each with its path and a stable code (those of `ivms101.CODES`
and `invalid_amount`), as a `TransferError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from engine.errors import EngineError
from engine.inputs import ivms101
from engine.inputs.money import AmountError, Money, parse_amount
from engine.inputs.text import text_problem

Role = Literal["originating", "beneficiary"]
ROLES: tuple[Role, ...] = ("originating", "beneficiary")
_FIELDS = ("id", "date", "asset", "amount", "value", "originating_vasp", "beneficiary_vasp")
_VASP_FIELDS = ("jurisdiction", "id", "name", "licence", "unhosted")
_REGISTER_FIELDS = ("id", "name", "jurisdiction", "licence", "from", "until")


class TransferError(EngineError):
    """A transfer, or a register, that cannot be read: every problem with its path."""

    def __init__(self, problems: list[ivms101.Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems), problems[0].path)


@dataclass(frozen=True, slots=True)
class End:
    """One end of a transfer: a VASP in a jurisdiction, or a self-hosted wallet."""

    role: Role
    jurisdiction: str | None
    firm_id: str | None
    name: str | None
    licence: str | None
    unhosted: bool


@dataclass(frozen=True, slots=True)
class Transfer:
    """A checked transfer."""

    id: str | None
    date: dt.date
    asset: str
    amount: Decimal
    value: Money
    ends: tuple[End, End]
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RegisteredFirm:
    """A register's entry: a firm licensed in a jurisdiction over a period."""

    id: str
    name: str | None
    jurisdiction: str
    licence: str | None
    start: dt.date | None
    end: dt.date | None  # the last day it is registered; None: not recorded as ended


class _Reader:
    def __init__(self) -> None:
        self.problems: list[ivms101.Problem] = []

    def fault(self, path: str, code: str, message: str) -> None:
        self.problems.append(ivms101.Problem(path, code, message))

    def fields(self, value: Any, path: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fault(path, "invalid_value", "an object expected")
            return {}
        for name in value:
            if name not in allowed:
                self.fault(f"{path}.{name}" if path else str(name), "unknown_field", "not known")
        return value

    def text(self, data: Mapping[str, Any], name: str, path: str, required: bool) -> str | None:
        where = f"{path}.{name}" if path else name
        value = data.get(name)
        if value is None:
            if required:
                self.fault(where, "missing", "required")
            return None
        if not isinstance(value, str) or text_problem(value, 200) is not None:
            self.fault(where, "invalid_value", "text of at most 200 characters expected")
            return None
        return value

    def date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, dt.date):  # a YAML register's dates arrive parsed
            return value
        try:
            return dt.date.fromisoformat(
                value if isinstance(value, str) and len(value) == 10 else ""
            )
        except ValueError:
            self.fault(path, "invalid_value", "a date is written YYYY-MM-DD")
            return None

    def amount(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fault(path, "invalid_amount", "write an amount as a decimal string, not a float")
            return None
        try:
            amount = parse_amount(str(value))
        except AmountError as error:
            self.fault(path, "invalid_amount", str(error))
            return None
        if amount < 0:
            self.fault(path, "invalid_amount", "an amount transferred is not negative")
            return None
        return amount

    def end(self, value: Any, role: Role) -> End:
        path = f"{role}_vasp"
        data = self.fields(value, path, _VASP_FIELDS)
        unhosted = data.get("unhosted", False)
        if not isinstance(unhosted, bool):
            self.fault(f"{path}.unhosted", "invalid_value", "true or false")
            unhosted = False
        return End(
            role=role,
            jurisdiction=self.text(data, "jurisdiction", path, required=not unhosted),
            firm_id=self.text(data, "id", path, required=False),
            name=self.text(data, "name", path, required=False),
            licence=self.text(data, "licence", path, required=False),
            unhosted=unhosted,
        )


def read_transfer(data: Any, jurisdictions: Mapping[str, object]) -> Transfer:
    """A transfer from parsed JSON, its payload checked against IVMS101 and its ends'
    jurisdictions against the bundle's. Raises `TransferError` naming every fault."""
    reader = _Reader()
    top = reader.fields(data, "", (*_FIELDS, "ivms101"))
    day = reader.date(top.get("date"), "date") if "date" in top else None
    if "date" not in top:
        reader.fault("date", "missing", "required")
    amount = reader.amount(top["amount"], "amount") if "amount" in top else None
    if "amount" not in top:
        reader.fault("amount", "missing", "required")
    value_data = reader.fields(top.get("value"), "value", ("amount", "currency"))
    fiat = reader.amount(value_data.get("amount"), "value.amount")
    currency = reader.text(value_data, "currency", "value", required=True)
    ends = (
        reader.end(top.get("originating_vasp"), "originating"),
        reader.end(top.get("beneficiary_vasp"), "beneficiary"),
    )
    for end in ends:
        if end.jurisdiction is not None and end.jurisdiction not in jurisdictions:
            reader.fault(
                f"{end.role}_vasp.jurisdiction", "invalid_value", "not a bundled jurisdiction"
            )
    payload = top.get("ivms101")
    reader.problems += ivms101.validate(payload, "ivms101") if "ivms101" in top else []
    if "ivms101" not in top:
        reader.fault("ivms101", "missing", "an IVMS101 payload is required")
    if reader.problems:
        raise TransferError(reader.problems)
    assert day is not None and amount is not None and fiat is not None and currency
    return Transfer(
        id=reader.text(top, "id", "", required=False),
        date=day,
        asset=reader.text(top, "asset", "", required=False) or "",
        amount=amount,
        value=Money(currency, fiat),
        ends=ends,
        payload=payload if isinstance(payload, Mapping) else {},
    )


def read_register(data: Any, path: str = "register") -> tuple[RegisteredFirm, ...]:
    """A register of firms: `{"firms": [{id, jurisdiction, name?, licence?, from?, until?}]}`
    or the list itself. Raises `TransferError` naming every fault."""
    reader = _Reader()
    firms = data.get("firms") if isinstance(data, Mapping) else data
    where = f"{path}.firms" if isinstance(data, Mapping) else path
    if not isinstance(firms, list):
        raise TransferError([ivms101.Problem(where, "invalid_value", "a list of firms expected")])
    found = []
    for index, item in enumerate(firms):
        at = f"{where}[{index}]"
        entry = reader.fields(item, at, _REGISTER_FIELDS)
        start = reader.date(entry["from"], f"{at}.from") if "from" in entry else None
        end = reader.date(entry["until"], f"{at}.until") if entry.get("until") else None
        firm_id = reader.text(entry, "id", at, required=True)
        jurisdiction = reader.text(entry, "jurisdiction", at, required=True)
        name = reader.text(entry, "name", at, required=False)
        licence = reader.text(entry, "licence", at, required=False)
        if firm_id and jurisdiction:
            found.append(RegisteredFirm(firm_id, name, jurisdiction, licence, start, end))
    if reader.problems:
        raise TransferError(reader.problems)
    return tuple(found)
