"""The 40-requirement workload of the peer benchmark (../shared/bench/peers/bench_peers.py),
copied so the benchmark runs from this repository alone: the neutral requirement AST, the
seeded licence records, and the hand-written generated-code baseline (`python_codegen`)
that DESIGN §8 measures the fast path against."""

# ruff: noqa: UP031, N802, RUF005
# (kept as in the source so that a diff against it stays readable)

from __future__ import annotations

import random
from typing import Any


def B(f):
    return ("bool", f)  # field is true


def C(f, op, v):
    return ("cmp", op, f, v)  # field OP literal


def IN(f, vals):
    return ("in", f, tuple(vals))  # scalar field in set


def SUBSET(f, vals):
    return ("subset", f, tuple(vals))  # every list item in set


def DISJ(f, vals):
    return ("disjoint", f, tuple(vals))  # no list item in set


def HAS(f, v):
    return ("has", f, v)  # list field contains v


def AND(*xs):
    return ("and", xs)


def OR(*xs):
    return ("or", xs)


def NOT(x):
    return ("not", x)


def IMPLIES(a, b):
    return ("implies", a, b)


FLOAT_FIELDS = {"liquid_assets_ratio", "cold_storage_share", "reserve_ratio"}

ALLOWED_ACTIVITIES = [
    "custody",
    "exchange",
    "brokerage",
    "advisory",
    "lending",
    "staking",
    "payments",
    "transfer",
]
OTHER_ACTIVITIES = ["derivatives", "issuance"]
PROHIBITED_ACTIVITIES = ["mixing", "privacy_coins", "gambling"]
ALL_ACTIVITIES = ALLOWED_ACTIVITIES + OTHER_ACTIVITIES + PROHIBITED_ACTIVITIES
PASSPORT_PARTNERS = ["AE", "SA", "BH", "QA", "KW", "OM", "SG", "GB", "CH", "MY", "HK"]
GCC = ["AE", "SA", "BH", "QA", "KW", "OM"]
HIGH_RISK = ["KP", "IR", "MM"]
JURISDICTIONS = PASSPORT_PARTNERS + ["US", "KY", "VG", "SC"] + HIGH_RISK

# Host ruleset: 40 requirements, written as PASS conditions.
REQS = [
    ("R01", C("licence_status", "==", "active")),
    ("R02", IN("licence_type", ["VASP", "EMI", "BROKER"])),
    ("R03", IN("home_jurisdiction", PASSPORT_PARTNERS)),
    ("R04", C("paid_up_capital_usd", ">=", 2_000_000)),
    ("R05", C("own_funds_usd", ">=", 1_500_000)),
    ("R06", C("liquid_assets_ratio", ">=", 1.0)),
    ("R07", B("has_aml_officer")),
    ("R08", IMPLIES(B("has_aml_officer"), B("aml_officer_resident"))),
    ("R09", B("has_compliance_officer")),
    ("R10", C("travel_rule_threshold_usd", "<=", 1000)),
    ("R11", B("travel_rule_compliant")),
    ("R12", IMPLIES(B("custody_offered"), C("cold_storage_share", ">=", 0.9))),
    ("R13", IN("primary_activity", ALLOWED_ACTIVITIES)),
    ("R14", SUBSET("activities", ALLOWED_ACTIVITIES)),
    ("R15", DISJ("activities", PROHIBITED_ACTIVITIES)),
    ("R16", IMPLIES(B("offers_islamic_products"), B("shariah_board"))),
    ("R17", IMPLIES(B("offers_islamic_products"), C("shariah_board_members", ">=", 3))),
    ("R18", IMPLIES(B("custody_offered"), C("insurance_coverage_usd", ">=", 5_000_000))),
    ("R19", C("audit_opinion", "==", "unqualified")),
    ("R20", C("years_in_operation", ">=", 2)),
    ("R21", C("directors_count", ">=", 3)),
    ("R22", OR(C("independent_directors", ">=", 2), C("directors_count", "<=", 3))),
    ("R23", B("fit_and_proper_passed")),
    ("R24", B("sanctions_screening")),
    ("R25", C("kyc_level", ">=", 2)),
    ("R26", IMPLIES(HAS("client_types", "retail"), C("kyc_level", ">=", 3))),
    ("R27", OR(B("data_localisation"), IN("home_jurisdiction", GCC))),
    ("R28", B("local_office")),
    ("R29", C("complaints_unresolved", "<=", 10)),
    ("R30", C("penetration_test_age_days", "<=", 365)),
    ("R31", IMPLIES(B("custody_offered"), B("segregated_client_assets"))),
    (
        "R32",
        IMPLIES(
            B("stablecoin_issuer"),
            AND(C("reserve_ratio", ">=", 1.0), C("audit_opinion", "==", "unqualified")),
        ),
    ),
    ("R33", IMPLIES(HAS("client_types", "retail"), C("max_leverage", "<=", 2))),
    ("R34", C("max_leverage", "<=", 20)),
    ("R35", IMPLIES(C("licence_type", "==", "EMI"), C("own_funds_usd", ">=", 3_000_000))),
    ("R36", AND(B("has_aml_officer"), B("sanctions_screening"), B("travel_rule_compliant"))),
    ("R37", NOT(IN("home_jurisdiction", HIGH_RISK))),
    ("R38", IMPLIES(B("offers_islamic_products"), NOT(HAS("activities", "lending")))),
    (
        "R39",
        OR(
            C("paid_up_capital_usd", ">=", 5_000_000),
            AND(NOT(B("custody_offered")), C("paid_up_capital_usd", ">=", 2_500_000)),
        ),
    ),
    ("R40", C("licence_days_to_expiry", ">=", 90)),
]
REQ_IDS = [rid for rid, _ in REQS]
REQ_INDEX = {rid: i for i, rid in enumerate(REQ_IDS)}
assert len(REQS) == 40


# ---------------------------------------------------------------------------
# Seeded licence records (~36 attributes; monetary values already in USD)
# ---------------------------------------------------------------------------


def gen_records(n, seed=20240601):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        islamic = rng.random() < 0.30
        shariah = rng.random() < (0.85 if islamic else 0.10)
        custody = rng.random() < 0.60
        capital = int(rng.lognormvariate(15.3, 0.6))
        directors = rng.randint(2, 9)
        acts = rng.sample(ALLOWED_ACTIVITIES, rng.randint(1, 3))
        if rng.random() < 0.08:
            acts.append(rng.choice(OTHER_ACTIVITIES))
        if rng.random() < 0.04:
            acts.append(rng.choice(PROHIBITED_ACTIVITIES))
        clients = rng.sample(["retail", "professional", "institutional"], rng.randint(1, 3))
        out.append(
            {
                "licence_id": "LIC%06d" % i,
                "home_jurisdiction": rng.choices(
                    JURISDICTIONS, weights=[8] * 11 + [2] * 4 + [1] * 3
                )[0],
                "licence_type": rng.choices(
                    ["VASP", "EMI", "BROKER", "BANK"], weights=[60, 15, 15, 10]
                )[0],
                "licence_status": rng.choices(
                    ["active", "suspended", "revoked"], weights=[92, 5, 3]
                )[0],
                "paid_up_capital_usd": capital,
                "own_funds_usd": int(capital * rng.uniform(0.5, 1.5)),
                "liquid_assets_ratio": round(rng.uniform(0.8, 2.5), 2),
                "has_aml_officer": rng.random() < 0.95,
                "aml_officer_resident": rng.random() < 0.88,
                "has_compliance_officer": rng.random() < 0.95,
                "travel_rule_threshold_usd": rng.choice([0, 250, 1000, 1000, 1000, 1000, 3000]),
                "travel_rule_compliant": rng.random() < 0.93,
                "cold_storage_share": round(
                    rng.uniform(0.88, 1.0) if rng.random() < 0.75 else rng.uniform(0.5, 0.95), 2
                ),
                "custody_offered": custody,
                "primary_activity": rng.choices(
                    ALL_ACTIVITIES, weights=[10] * 8 + [2, 2] + [1] * 3
                )[0],
                "activities": acts,
                "client_types": clients,
                "offers_islamic_products": islamic,
                "shariah_board": shariah,
                "shariah_board_members": rng.randint(1, 5) if shariah else 0,
                "insurance_coverage_usd": rng.choice(
                    [0, 1_000_000, 5_000_000, 10_000_000, 10_000_000, 25_000_000]
                ),
                "audit_opinion": rng.choices(
                    ["unqualified", "qualified", "adverse"], weights=[88, 9, 3]
                )[0],
                "years_in_operation": rng.randint(0, 15),
                "directors_count": directors,
                "independent_directors": rng.randint(0, directors),
                "fit_and_proper_passed": rng.random() < 0.96,
                "sanctions_screening": rng.random() < 0.97,
                "kyc_level": rng.choice([1, 2, 2, 3, 3, 3, 3]),
                "data_localisation": rng.random() < 0.70,
                "local_office": rng.random() < 0.85,
                "complaints_unresolved": int(rng.expovariate(1 / 4)),
                "penetration_test_age_days": rng.randint(10, 420),
                "segregated_client_assets": rng.random() < 0.92,
                "stablecoin_issuer": rng.random() < 0.15,
                "reserve_ratio": round(rng.uniform(0.85, 1.3), 2),
                "max_leverage": rng.choice([1, 1, 2, 2, 3, 5, 10, 20, 50]),
                "licence_days_to_expiry": rng.randint(0, 1000),
            }
        )
    return out


PY_OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def to_python(node, consts):
    """Python expression over dict `r`; set literals hoisted into `consts`."""
    k = node[0]
    if k == "bool":
        return "r[%r]" % node[1]
    if k == "cmp":
        _, op, f, v = node
        return "r[%r] %s %r" % (f, PY_OPS[op], v)
    if k in ("in", "subset", "disjoint"):
        name = "S%d" % len(consts)
        consts[name] = frozenset(node[2])
        if k == "in":
            return "r[%r] in %s" % (node[1], name)
        if k == "subset":
            return "%s.issuperset(r[%r])" % (name, node[1])
        return "%s.isdisjoint(r[%r])" % (name, node[1])
    if k == "has":
        return "%r in r[%r]" % (node[2], node[1])
    if k == "and":
        return "(" + " and ".join(to_python(x, consts) for x in node[1]) + ")"
    if k == "or":
        return "(" + " or ".join(to_python(x, consts) for x in node[1]) + ")"
    if k == "not":
        return "(not %s)" % to_python(node[1], consts)
    if k == "implies":
        return "((not %s) or %s)" % (to_python(node[1], consts), to_python(node[2], consts))
    raise ValueError(node)


def build_python_codegen() -> Any:
    """The baseline: one generated function with 40 inline `if not (...)` checks."""
    consts: dict[str, Any] = {}
    lines = ["def check(r):", "    failed = []", "    app = failed.append"]
    for rid, node in REQS:
        lines.append("    if not (%s): app(%r)" % (to_python(node, consts), rid))
    lines.append("    return failed")
    namespace: dict[str, Any] = dict(consts)
    exec("\n".join(lines), namespace)
    return namespace["check"]
