"""What each block kind may contain: the language's structure, as one table.

The grammar only knows `kind label { key value }`; this table says which kinds exist,
where they may stand, what label they take, and each field's value form. The checker and
the language reference's field tables are driven from it.
"""

from __future__ import annotations

from collections.abc import Mapping

from rulesdsl.check.forms import BlockSpec as BlockSpec
from rulesdsl.check.forms import FieldSpec as FieldSpec
from rulesdsl.check.forms import Form as Form
from rulesdsl.check.forms import Label as Label

CONFIDENCE = ("confirmed", "medium", "unconfirmed")
REGIME_STATUS = ("licensed", "prohibited", "no_regime", "enacted")
FRAMEWORK_STATUS = ("in_force", "proposed", "model")
MECHANISM = ("notification", "recognition", "none")
HOME_CONDITIONS = ("not_grey_listed", "not_black_listed", "home_licenses_activity", "mou_in_force")
FATF_LISTS = ("grey", "black")
# How a firm serves a host: from home, through a branch, or a subsidiary (its own legal person).
OPERATING_MODES = ("cross_border", "branch", "subsidiary")
# The operating modes a framework's passport covers unless it says otherwise: MiCA
# Art. 59(7) lets a CASP serve the Union cross-border or through a branch.
DEFAULT_MODES = ("cross_border", "branch")
LICENCE_ROUTES = ("sandbox", "transitional")  # alternative routes beside full licences
TIME_UNITS = ("years", "months")
MOU_SCOPES = ("vasp_supervision", "aml_cooperation")
TYPE_NAMES = ("money", "percentage", "integer", "boolean", "date", "country")
TYPE_CONSTRUCTORS = ("enum", "set", "roles", "persons")

_TITLE = FieldSpec(Form.STRING, "human-readable title", required=True)
_NOTE = FieldSpec(Form.STRING, "free-text note shown with the item")
_FROM = FieldSpec(Form.DATE, "first day in force (inclusive)")
_UNTIL = FieldSpec(Form.DATE, "first day no longer in force (exclusive)")
_CITE = FieldSpec(Form.CITATION, "instrument and provision")
_ROUTE_FIELDS = {  # a licence's alternative route: see the language reference
    "route": FieldSpec(Form.SYMBOL, "alternative route (default: full)", options=LICENCE_ROUTES),
    "for": FieldSpec(Form.TERM, "sandbox: how long admission lasts"),
    "discretionary": FieldSpec(Form.BOOLEAN, "admission at the regulator's discretion"),
    "authorised_before": FieldSpec(Form.DATE, "transitional: authorised earlier before"),
    "ends": FieldSpec(Form.DATE_OR_PENDING, "transitional: last day (inclusive)"),
}
_FIRST_TIER = FieldSpec(Form.TIER, "the lowest band, up to its boundary (first line)")
_NEXT_TIER = FieldSpec(Form.TIER, "a band from its boundary (in rising order)", repeatable=True)
_VERIFIED = FieldSpec(Form.DATE, "the day its facts were last checked against their sources")

BLOCKS: Mapping[str, BlockSpec] = {
    spec.kind: spec
    for spec in (
        BlockSpec("vocabulary", Label.NONE, (None,), "the shared vocabulary of all jurisdictions"),
        BlockSpec(
            "currency",
            Label.NAME,
            ("vocabulary",),
            "an ISO 4217 currency",
            {
                "name": FieldSpec(Form.STRING, "currency name", required=True),
                "minor_units": FieldSpec(Form.INTEGER, "decimal places", required=True),
            },
        ),
        BlockSpec(
            "activity", Label.NAME, ("vocabulary",), "a regulated activity", {"title": _TITLE}
        ),
        BlockSpec(
            "category", Label.NAME, ("vocabulary",), "a requirement category", {"title": _TITLE}
        ),
        BlockSpec(
            "body",
            Label.NAME,
            ("vocabulary",),
            "an international body or membership",
            {"title": _TITLE},
        ),
        BlockSpec(
            "attribute",
            Label.NAME,
            ("vocabulary",),
            "a typed attribute of a firm profile",
            {
                "type": FieldSpec(Form.TYPE, "the attribute's type", required=True),
                "description": FieldSpec(Form.STRING, "what it means", required=True),
                "per_host": FieldSpec(
                    Form.BOOLEAN, "its value depends on the host asked about (default false)"
                ),
            },
        ),
        BlockSpec(
            "jurisdiction",
            Label.NAME,
            (None,),
            "a jurisdiction; its blocks may be spread over several files",
            {
                "name": FieldSpec(Form.STRING, "the jurisdiction's name"),
                "currency": FieldSpec(Form.SYMBOL, "local currency", namespace="currency"),
                "authorities": FieldSpec(Form.STRINGS, "regulators and supervisors"),
                "memberships": FieldSpec(Form.SYMBOLS, "bodies it belongs to", namespace="body"),
                "verified": _VERIFIED,
                "note": _NOTE,
            },
            label_namespace="country",
        ),
        BlockSpec(
            "regime",
            Label.NAME,
            ("jurisdiction",),
            "the legal status of one activity in the jurisdiction",
            {
                "status": FieldSpec(
                    Form.SYMBOL, "licensed, prohibited, …", required=True, options=REGIME_STATUS
                ),
                "from": _FROM,
                "until": _UNTIL,
                "cite": FieldSpec(Form.CITATION, "instrument and provision", required=True),
                "confidence": FieldSpec(
                    Form.SYMBOL, "how sure the source is (default confirmed)", options=CONFIDENCE
                ),
                "note": _NOTE,
            },
            label_namespace="activity",
        ),
        BlockSpec(
            "instrument",
            Label.NAME,
            (None, "jurisdiction"),
            "a legal instrument that citations refer to",
            {
                "title": _TITLE,
                "number": FieldSpec(Form.STRING, "official number"),
                "date": FieldSpec(Form.DATE, "date made or last amended"),
                "url": FieldSpec(Form.URL, "where to read it"),
            },
        ),
        BlockSpec(
            "licence",
            Label.NAME,
            ("jurisdiction",),
            "a licence the jurisdiction grants",
            {
                "title": _TITLE,
                "activities": FieldSpec(
                    Form.SYMBOLS, "activities it covers", required=True, namespace="activity"
                ),
                "cite": _CITE,
                "note": _NOTE,
                **_ROUTE_FIELDS,
            },
        ),
        BlockSpec(
            "requirement",
            Label.NAME,
            ("jurisdiction",),
            "one requirement a licensee must meet",
            {
                "title": _TITLE,
                "category": FieldSpec(Form.SYMBOL, "category", required=True, namespace="category"),
                "licences": FieldSpec(
                    Form.SYMBOLS, "licences it binds (default: all)", namespace="licence"
                ),
                "when": FieldSpec(Form.CONDITION, "when it applies (default: always)"),
                "require": FieldSpec(Form.CONDITION, "what must hold (or a `tiers` block)"),
                "from": FieldSpec(Form.DATE_OR_MONTH, "first day or month in force (inclusive)"),
                "until": FieldSpec(Form.DATE_OR_MONTH, "first day or month no longer in force"),
                "by": FieldSpec(
                    Form.DATE_OR_MONTH,
                    "comply by: the last day a firm already licensed in the host may meet the "
                    "previous version instead (needs `from`; a day of the version's period)",
                ),
                "binds_applicants": FieldSpec(
                    Form.BOOLEAN,
                    "with `by`: the source binds new applicants from `from` (default false: "
                    "unknown for them until the deadline has passed)",
                ),
                "cite": FieldSpec(Form.CITATION, "instrument and provision", required=True),
                "cite_url": FieldSpec(
                    Form.URL, "where to read the cited provision (default: the instrument's url)"
                ),
                "confidence": FieldSpec(
                    Form.SYMBOL, "how sure the source is", required=True, options=CONFIDENCE
                ),
                "verified": FieldSpec(
                    Form.DATE, "the day its facts were last checked (default: the jurisdiction's)"
                ),
                "remedy": FieldSpec(Form.STRING, "what to do when unmet", required=True),
                "blocking": FieldSpec(Form.BOOLEAN, "unmet means not eligible (default false)"),
                "may_require_more": FieldSpec(Form.STRING, "what the regulator may add, as a note"),
                "note": _NOTE,
            },
        ),
        BlockSpec(
            "tiers",
            Label.NAME,
            ("requirement",),
            "bands of a transfer's amount and what each demands: `tiers transfer_amount { … }`",
            {
                "below": _FIRST_TIER,
                "up_to": _FIRST_TIER,
                "over": _NEXT_TIER,
                "at_or_above": _NEXT_TIER,
                "policy": FieldSpec(
                    Form.SYMBOL, "the firm's money attribute: from what amount it complies"
                ),
            },
        ),
        BlockSpec(
            "framework",
            Label.NAME,
            (None,),
            "a passport regime between jurisdictions",
            {
                "title": _TITLE,
                "status": FieldSpec(
                    Form.SYMBOL,
                    "in_force, proposed or model",
                    required=True,
                    options=FRAMEWORK_STATUS,
                ),
                "members": FieldSpec(
                    Form.SYMBOLS, "member jurisdictions", required=True, namespace="jurisdiction"
                ),
                "mechanism": FieldSpec(
                    Form.SYMBOL,
                    "how a home licence reaches a host",
                    required=True,
                    options=MECHANISM,
                ),
                "activities": FieldSpec(
                    Form.SYMBOLS, "activities it covers (default: all)", namespace="activity"
                ),
                "home_conditions": FieldSpec(
                    Form.SYMBOLS, "conditions on the home state", options=HOME_CONDITIONS
                ),
                "modes": FieldSpec(
                    Form.SYMBOLS,
                    "operating modes the passport covers (default: cross_border, branch)",
                    options=OPERATING_MODES,
                ),
                "waives": FieldSpec(
                    Form.SYMBOLS,
                    "categories recognised outright: the home authorisation stands in",
                    namespace="category",
                ),
                "deems": FieldSpec(
                    Form.SYMBOLS,
                    "categories met where the home's rules are shown to imply the host's",
                    namespace="category",
                ),
                "keeps": FieldSpec(
                    Form.SYMBOLS,
                    "categories the host applies as to a local licensee",
                    namespace="category",
                ),
                "notify_within": FieldSpec(Form.DURATION, "home authority forwards within"),
                "starts_at_latest_after": FieldSpec(
                    Form.DURATION, "the firm may start at the latest this long after notifying"
                ),
                "from": _FROM,
                "until": _UNTIL,
                "cite": _CITE,
                "note": _NOTE,
            },
        ),
        BlockSpec(
            "fatf",
            Label.NONE,
            (None,),
            "dated FATF list entries",
            {
                "grey_known_from": FieldSpec(
                    Form.DATE,
                    "from this day the grey listings recorded are complete "
                    "(before it, a country with no listing is of unknown status)",
                ),
                "black_known_from": FieldSpec(
                    Form.DATE, "the same for the black list (call for action)"
                ),
                "lists_may_change_after": FieldSpec(
                    Form.DATE,
                    "the next FATF plenary after the newest list recorded: answers dated "
                    "on or after it warn that the lists may have changed",
                ),
            },
        ),
        BlockSpec(
            "listing",
            Label.NAME,
            ("fatf",),
            "one country's period on a FATF list",
            {
                "list": FieldSpec(Form.SYMBOL, "grey or black", required=True, options=FATF_LISTS),
                "from": FieldSpec(
                    Form.DATE,
                    "listed on (absent: listed from a day not recorded, read as listed on "
                    "every day before `until`)",
                ),
                "until": FieldSpec(Form.DATE, "removed on (exclusive)"),
                "cite": FieldSpec(Form.CITATION, "FATF publication", required=True),
                "note": _NOTE,
            },
            label_namespace="country",
        ),
        BlockSpec(
            "mou",
            Label.NAME,
            (None,),
            "a memorandum of understanding between supervisors",
            {
                "parties": FieldSpec(
                    Form.SYMBOLS,
                    "the jurisdictions whose supervisors signed it (at least two)",
                    required=True,
                    namespace="country",
                ),
                "scope": FieldSpec(
                    Form.SYMBOL,
                    "what it covers: VASP supervision, or AML/CFT cooperation only",
                    required=True,
                    options=MOU_SCOPES,
                ),
                "from": FieldSpec(Form.DATE, "signed or in force from (inclusive)", required=True),
                "until": _UNTIL,
                "cite": FieldSpec(Form.CITATION, "instrument and provision", required=True),
                "note": _NOTE,
            },
        ),
        BlockSpec(
            "fx",
            Label.DATE,
            (None,),
            "exchange rates valid from a date",
            {
                "source": FieldSpec(Form.STRING, "where the rates come from", required=True),
                "rate": FieldSpec(
                    Form.RATE,
                    "a market rate: MYR 4.2150 per USD",
                    repeatable=True,
                    namespace="currency",
                ),
                "peg": FieldSpec(
                    Form.RATE,
                    "a fixed peg: AED 3.6725 per USD",
                    repeatable=True,
                    namespace="currency",
                ),
            },
        ),
        BlockSpec(
            "peg",
            Label.NONE,
            ("fx",),
            "a fixed peg of an `fx` table, cited to the authority that holds it",
            {
                "rate": FieldSpec(
                    Form.RATE,
                    "the peg: AED 3.6725 per USD",
                    required=True,
                    namespace="iso_currency",
                ),
                "cite": FieldSpec(Form.CITATION, "the instrument that fixes it", required=True),
                "note": _NOTE,
            },
        ),
    )
}
