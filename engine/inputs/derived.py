"""What a profile says without stating it: whether the firm is licensed outside the host.

A firm's home licence is a licence in a jurisdiction other than every host but its home, so
`licensed_in_other_jurisdiction` need not be stated for those hosts; a profile that states
it false there contradicts its own licence and is refused. For its home as host the profile
must say (the group's licences abroad are not in the profile), else the answer is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping

from rulesdsl import ir

LICENSED_ELSEWHERE = "licensed_in_other_jurisdiction"


def licence_counts(bundle: ir.Bundle, home: str, licence: str) -> bool:
    """Whether the home licence is a full licence covering an activity (a first-stage
    approval such as Pakistan's NOC covers none; a sandbox admission is no licence), or one
    of a home whose rules are not bundled, which the engine cannot tell apart."""
    jurisdiction = next((j for j in bundle.jurisdictions if j.code == home), None)
    if jurisdiction is None:
        return True
    held = next((lic for lic in jurisdiction.licences if lic.id == licence), None)
    return held is None or (bool(held.activities) and held.route == "full")


def licensed_elsewhere(home: str, host: str, counts: bool) -> bool | None:
    """What the home licence says about being licensed outside `host` (None: nothing)."""
    return True if counts and host != home else None


def contradictions(
    home: str,
    licence: str,
    attributes: Mapping[str, object],
    in_host: Mapping[str, Mapping[str, object]],
) -> list[tuple[str, str]]:
    """(path, message) for each stated `false` the home licence contradicts: in the
    attributes (which hold for every host, so also for hosts other than the home) and for
    each host but the home."""
    held = f"the firm holds its {home} licence {licence!r}"
    problems = []
    if attributes.get(LICENSED_ELSEWHERE) is False:
        problems.append(
            (
                f"attributes.{LICENSED_ELSEWHERE}",
                f"false, but {held}, a licence outside every host but {home}; "
                f"state it for {home} alone, under in_host.{home}",
            )
        )
    for host in sorted(in_host):
        if host != home and in_host[host].get(LICENSED_ELSEWHERE) is False:
            problems.append(
                (f"in_host.{host}.{LICENSED_ELSEWHERE}", f"false, but {held}, outside {host}")
            )
    return problems
