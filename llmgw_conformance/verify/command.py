"""``verify REPORT``: read a report.json, check it, say whether it is verified (exit 0) or not (exit 1).

Order of the checks: the file is a report at all (else a usage error, exit 2); its schema; its digest;
the contract it names is the one this suite holds (else nothing it says can be re-judged here);
then every requirement's evidence is re-judged (:mod:`.rejudge`) and every aggregate re-derived
(:mod:`.consistency`). Each thing that does not add up is listed with where it is in the report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from llmgw_conformance import __version__
from llmgw_conformance.contract import ContractLoadError, LoadedContract, load_contract
from llmgw_conformance.options import BadValue

from .consistency import check_counts, check_profiles, check_requirements, check_verdict
from .digest import DIGEST_KEY, content_digest
from .outcome import CONSISTENCY, NOT_REJUDGEABLE, REJUDGED, Verification
from .rejudge import rejudge_report

API_VERSION = "conformance.llm-gateway/v1"
KIND = "ConformanceReport"
_A_REPORT = ["a report.json written by `llm-gateway-conformance run`"]


def load_report(path: Path) -> dict[str, Any]:
    """The report document; a usage error when the path is no readable JSON ConformanceReport."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadValue("report path", str(path), [f"a readable report.json ({exc})"]) from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BadValue("report", str(path), [f"JSON ({exc})", *_A_REPORT]) from None
    if not isinstance(doc, dict) or doc.get("apiVersion") != API_VERSION or doc.get("kind") != KIND:
        raise BadValue("report", str(path), [f"apiVersion {API_VERSION}, kind {KIND}", *_A_REPORT])
    return doc


def _check_schema(doc: dict[str, Any], out: Verification) -> None:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    from llmgw_contracts import contract_files

    schema = contract_files().report_schema()
    for error in list(Draft202012Validator(schema).iter_errors(doc))[:10]:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        out.add("schema", where, error.message[:300])


def _check_seal(doc: dict[str, Any], contract: LoadedContract, out: Verification) -> bool:
    """Digest and contract; True when the report's contract is the one held here."""
    seal = doc.get(DIGEST_KEY)
    if not isinstance(seal, dict) or "value" not in seal:
        out.add("digest", DIGEST_KEY, "the report carries no digest")
    elif seal["value"] != content_digest(doc):
        out.add(
            "digest", DIGEST_KEY, "does not match the content: the report was changed after it was written"
        )
    named = doc.get("contract") or {}
    suite = (doc.get("suite") or {}).get("version")
    if suite != __version__:
        out.notes.append(f"made by suite {suite}; judged again with suite {__version__}'s judges")
    if named.get("hash") == contract.hash and str(named.get("version")) == contract.version:
        return True
    out.add(
        "contract",
        "contract",
        f"names contract {named.get('version')} {named.get('hash')}; this suite holds "
        f"{contract.version} {contract.hash} (verify with the suite release that made it, or "
        "--contracts-dir with that contract): nothing was re-judged",
    )
    return False


def verify_document(doc: dict[str, Any], contract: LoadedContract) -> Verification:
    """Every check of the module docstring on one report document."""
    out = Verification()
    _check_schema(doc, out)
    if _check_seal(doc, contract, out):
        rejudge_report(doc, contract, out)
    if doc.get("seed") != (doc.get("options") or {}).get("seed"):
        out.add(
            "verdict",
            "seed",
            f"is {doc.get('seed')} but the options say {(doc.get('options') or {}).get('seed')}",
        )
    rebuilt = check_requirements(doc, out)
    check_counts(doc, rebuilt, out)
    profiles = check_profiles(doc, rebuilt, contract, out)
    exit_code, verdict = check_verdict(doc, rebuilt, profiles)
    if doc.get("exit_code") != exit_code:
        out.add("verdict", "exit_code", f"is {doc.get('exit_code')} but the requirements give {exit_code}")
    if doc.get("verdict") != verdict:
        out.add("verdict", "verdict", f"is {doc.get('verdict')!r} but the requirements give {verdict!r}")
    return out


def render(path: Path, doc: dict[str, Any], out: Verification, details: bool) -> str:
    """What a person reads: the answer, each discrepancy, and how the verdicts were checked."""
    contract = doc.get("contract") or {}
    head = "VERIFIED" if out.verified else f"NOT VERIFIED ({len(out.discrepancies)} discrepancies)"
    lines = [
        f"{path}: {head}",
        f"  target {(doc.get('target') or {}).get('url')}, verdict {doc.get('verdict')}, "
        f"contract {contract.get('version')} {contract.get('hash')}, "
        f"suite {(doc.get('suite') or {}).get('version')}, seed {doc.get('seed')}",
    ]
    lines += [f"  {d.line()}" for d in out.discrepancies]
    lines += [f"  note: {n}" for n in out.notes]
    hows = [how for how, _ in out.checked.values()]
    lines.append(
        f"  requirements: {len(doc.get('requirements') or [])}; {hows.count(REJUDGED)} re-judged from "
        f"recorded streams, {hows.count(CONSISTENCY)} checked for consistency only, "
        f"{hows.count(NOT_REJUDGEABLE)} not re-judgeable (evidence cut)"
    )
    if details:
        lines += [f"    {rid:<28} {how}: {why}" for rid, (how, why) in sorted(out.checked.items())]
    return "\n".join(lines)


def cmd_verify(report: str, contracts_dir: str | None, details: bool) -> int:
    """Exit 0 verified, 1 not verified; usage errors (bad path, not a report) raise BadValue (exit 2)."""
    path = Path(report)
    doc = load_report(path)
    try:
        contract = load_contract(Path(contracts_dir) if contracts_dir else None)
    except ContractLoadError as exc:
        raise BadValue(
            "contracts directory", contracts_dir, [f"a folder with the contract ({exc})"]
        ) from None
    out = verify_document(doc, contract)
    print(render(path, doc, out, details))
    return 0 if out.verified else 1
