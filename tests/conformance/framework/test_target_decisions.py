"""Issue 10, class 1: what an OpenAI-only server serves is decided from positive evidence or declared.

Each test starts a small fake server (openai_only_servers.py) over real HTTP and runs the suite's own
runner on it, so the old mistakes (a 500 to an empty probe counted as "served", openai-chat assumed,
optional OpenAI features never judged) would fail here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from llmgw_conformance.contract import load_contract
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.registry import UsageError, registered_checks
from llmgw_conformance.report.document import REPORT_SCHEMA, build_document
from llmgw_conformance.results import RunResult
from llmgw_conformance.runner import run_suite
from llmgw_conformance.target_description import describe_target

from .framework_servers import ServeApp
from .openai_only_servers import OpenAIServer

REPO = Path(__file__).resolve().parents[3]


def run(url: str, **kw: object) -> RunResult:
    options = SuiteOptions(target=url, read_timeout_s=5, check_budget_s=20, run_budget_s=60).replace(**kw)
    return run_suite(options)


def test_a_500_to_any_body_is_no_evidence_of_embeddings_or_rerank(serve_app: ServeApp) -> None:
    server = OpenAIServer(embeddings="crash", rerank="crash")
    result = run(serve_app(server.app()), profiles=("embeddings", "rerank"))
    for name in ("embeddings", "rerank"):
        profile = result.profiles[name]
        assert profile.result == "not_supported" and profile.counts["MUST"]["failed"] == 0
        assert profile.decided["how"] == "probed" and "-> 500" in profile.decided["evidence"]
    # The probe was a valid minimal request (a model and an input), not an empty body.
    probes = [body for path, body in server.seen if path == "/v1/embeddings"]
    assert probes and all(isinstance(b, dict) and b.get("model") == "m" and "input" in b for b in probes)
    assert result.exit_code == 0 and not result.must_failed


def test_a_leak_in_a_probe_answer_is_still_found(serve_app: ServeApp) -> None:
    """Rerank is not served (a 500), but the traceback in that 500 breaks RESP-NO-TRACEBACK."""
    result = run(serve_app(OpenAIServer(rerank="leak").app()), checks=("discovery-answers",))
    assert result.target is not None and "rerank" not in result.target.profiles
    leak = result.requirements["RESP-NO-TRACEBACK"]
    assert leak.outcome == Outcome.FAILED and "/v1/rerank" in leak.summary()
    clean = run(serve_app(OpenAIServer(rerank="crash").app()), checks=("discovery-answers",))
    assert clean.requirements["RESP-NO-TRACEBACK"].outcome == Outcome.PASSED


def test_an_embeddings_only_server_is_not_judged_on_chat(serve_app: ServeApp) -> None:
    server = OpenAIServer(models=["emb"], chat=False, embeddings="serve")
    result = run(
        serve_app(server.app()), profiles=("openai-chat", "openai-extended", "determinism", "embeddings")
    )
    target = result.target
    assert target is not None and "embeddings" in target.profiles and "openai-chat" not in target.profiles
    for name in ("openai-chat", "openai-extended", "determinism"):
        assert result.profiles[name].result == "not_supported", name
        assert "-> 404" in result.profiles[name].decided["evidence"]
    chat_reqs = [r for r in result.requirements.values() if r.owner in ("openai-chat", "openai-extended")]
    assert chat_reqs and all(r.outcome == Outcome.NOT_SUPPORTED for r in chat_reqs)
    assert result.profiles["embeddings"].decided["how"] == "probed"
    # The report says how each profile was decided, and still matches its published schema.
    doc = build_document(result)
    decided = {p["name"]: p["decided"] for p in doc["profiles"]}
    assert (
        decided["openai-chat"]["how"] == "probed"
        and "/v1/chat/completions" in decided["openai-chat"]["evidence"]
    )
    schema = yaml.safe_load(REPORT_SCHEMA.read_text())
    assert [e.message for e in Draft202012Validator(schema).iter_errors(doc)] == []
    # Native embedding tasks are never run against an OpenAI-only server: not supported, not skipped.
    assert result.requirements["TASK-EMBED-RESULT"].outcome == Outcome.NOT_SUPPORTED
    assert not any(r.outcome == Outcome.FAILED for r in chat_reqs)


def test_n_accepted_and_ignored_fails_while_a_clear_400_is_not_supported(serve_app: ServeApp) -> None:
    ignored = run(serve_app(OpenAIServer(n="ignore").app()), checks=("oai-n",))
    decision = ignored.target.decision("feature", "n") if ignored.target else None
    assert decision is not None and decision.supported and decision.evidence.endswith("-> 200")
    assert ignored.requirements["CHAT-N-CHOICES"].outcome == Outcome.FAILED
    assert ignored.profiles["openai-extended"].result == "failure"

    refused = run(serve_app(OpenAIServer(n="refuse").app()), checks=("oai-n",))
    decision = refused.target.decision("feature", "n") if refused.target else None
    assert decision is not None and not decision.supported and decision.evidence.endswith("-> 400")
    assert refused.requirements["CHAT-N-CHOICES"].outcome == Outcome.NOT_SUPPORTED
    assert refused.profiles["openai-extended"].result != "failure" and refused.exit_code == 0

    honoured = run(serve_app(OpenAIServer(n="honour").app()), checks=("oai-n",))
    assert honoured.requirements["CHAT-N-CHOICES"].outcome == Outcome.PASSED
    assert honoured.requirements["OAI-N-USAGE"].outcome == Outcome.PASSED
    # Ignored n gives one choice: nothing to judge usage on, so not a pass and not a failure.
    assert ignored.requirements["OAI-N-USAGE"].outcome == Outcome.SKIPPED


def test_n_usage_of_one_choice_fails(serve_app: ServeApp) -> None:
    """llama-server with n=2 reports one choice's completion_tokens: two choices, half the usage."""
    result = run(serve_app(OpenAIServer(usage_one_choice=True).app()), checks=("oai-n",))
    assert result.requirements["CHAT-N-CHOICES"].outcome == Outcome.PASSED
    usage = result.requirements["OAI-N-USAGE"]
    assert usage.outcome == Outcome.FAILED, usage.summary()
    assert "completion_tokens 1" in usage.summary()


def test_tools_accepted_and_ignored_fail(serve_app: ServeApp) -> None:
    """The fake takes `tools` (2xx) and answers text even when tool_choice names the function."""
    result = run(serve_app(OpenAIServer().app()), checks=("chat-tool-calls",))
    decision = result.target.decision("feature", "tools") if result.target else None
    assert decision is not None and decision.supported and decision.how == "probed"
    ignored = result.requirements["CHAT-TOOL-CHOICE-HONOURED"]
    assert ignored.outcome == Outcome.FAILED and "ignored" in ignored.summary()
    # One defect: CHAT-TOOL-FINISH is about the finish reason of a call that was made, and none was.
    assert result.requirements["CHAT-TOOL-FINISH"].outcome != Outcome.FAILED


def test_a_declared_feature_is_judged_and_not_probed(serve_app: ServeApp, tmp_path: Path) -> None:
    server = OpenAIServer(n="ignore")
    described = tmp_path / "target.yaml"
    described.write_text("profiles: [openai-chat, openai-extended]\nfeatures: [n]\nmodels: {chat: m}\n")
    result = run(serve_app(server.app()), checks=("oai-n",), target_file=described)
    assert result.target is not None and result.target.profiles_source == "declared"
    assert result.profiles["openai-extended"].decided["how"] == "declared"
    assert result.requirements["CHAT-N-CHOICES"].outcome == Outcome.FAILED
    # Declared: no probe request was sent (every chat request came from the oai-n check itself).
    assert all(
        body.get("messages") != [{"role": "user", "content": "Say hi."}] for _, body in server.seen if body
    )


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLMGW_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "llmgw_conformance", "run", "--target", "http://127.0.0.1:9", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_bad_target_description_is_a_usage_error_naming_the_valid_values(tmp_path: Path) -> None:
    cases = {
        "profiles: [openai-chatt]\n": ("'openai-chatt'", "openai-extended"),
        "features: [n, telepathy]\n": ("'telepathy'", "logprobs"),
        "profile: [openai-chat]\n": ("'profile'", "features, limits, models, profiles"),
        "models: {speech: m}\n": ("'speech'", "chat, embeddings, generate, rerank"),
        "limits: {max_tokenz: 5}\n": ("'max_tokenz'", "max_tokens"),
    }
    contract, registry = load_contract(), registered_checks()
    for number, (text, (bad, valid)) in enumerate(cases.items()):
        path = tmp_path / f"target{number}.yaml"
        path.write_text(text)
        with pytest.raises(UsageError) as info:
            describe_target(SuiteOptions(target_file=path), contract, registry)
        assert bad in str(info.value) and valid in str(info.value), text
    # Through the command line: exit 2 before any request (nothing listens on port 9).
    done = _cli(tmp_path, "--target-file", str(tmp_path / "target0.yaml"))
    assert done.returncode == 2 and "'openai-chatt'" in done.stderr and "openai-extended" in done.stderr
    flags = _cli(tmp_path, "--feature", "n", "--feature", "bogus")
    assert flags.returncode == 2 and "'bogus'" in flags.stderr and "tools" in flags.stderr
    with pytest.raises(UsageError, match="NAME=VALUE"):
        describe_target(SuiteOptions(models_for=("chat",)), contract, registry)
