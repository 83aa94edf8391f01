"""Issue 10, class 5: one defect is one failure, a requirement counts in one profile, and a run that
does not know a model never sends ``"model": ""``.

The cascade and model tests run the real checks on a small OpenAI-only server over real HTTP; the
ownership tests are pure logic over the real catalogue and registry.
"""

from __future__ import annotations

import dataclasses

from llmgw_conformance.causes import link_causes
from llmgw_conformance.context import CheckContext
from llmgw_conformance.contract import load_contract
from llmgw_conformance.counting import owning_profile
from llmgw_conformance.live import NoModelKnown
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Exchange, Finding, Outcome
from llmgw_conformance.registry import CheckSpec, registered_checks
from llmgw_conformance.results import RequirementResult, RunResult
from llmgw_conformance.runner import run_suite

from .framework_servers import ServeApp
from .openai_only_servers import OpenAIServer


def run(url: str, **kw: object) -> RunResult:
    options = SuiteOptions(target=url, read_timeout_s=5, check_budget_s=20, run_budget_s=60).replace(**kw)
    return run_suite(options)


def test_a_missing_finish_reason_key_is_one_defect_not_two(serve_app: ServeApp) -> None:
    result = run(serve_app(OpenAIServer(drop_finish_reason=True).app()), checks=("chat-stream-grammar",))
    root, schema = result.requirements["CHAT-FINISH-VALUE"], result.requirements["SSE-DATA-JSON"]
    assert root.outcome == Outcome.FAILED and not root.caused
    # The chunk schema failure is the same bytes: failed, but caused by the specific rule.
    assert schema.outcome == Outcome.FAILED and schema.caused
    causes = {f.caused_by.requirement_id for f in schema.findings if f.caused_by is not None}
    assert causes == {"CHAT-FINISH-VALUE"}
    assert "caused by CHAT-FINISH-VALUE" in schema.summary()
    chat = result.profiles["openai-chat"]
    assert chat.result == "failure" and chat.counts["MUST"]["caused"] >= 1
    assert "SSE-DATA-JSON" not in [r.id for r in result.must_defects]
    assert "CHAT-FINISH-VALUE" in [r.id for r in result.must_defects]
    # The tasks profile (not claimed by an OpenAI-only server) never shows the shared SSE failure.
    assert schema.owner == "openai-chat"


def test_a_correct_stream_has_no_cascade(serve_app: ServeApp) -> None:
    result = run(serve_app(OpenAIServer().app()), checks=("chat-stream-grammar",))
    assert result.requirements["SSE-DATA-JSON"].outcome == Outcome.PASSED
    assert result.requirements["CHAT-FINISH-VALUE"].outcome == Outcome.PASSED


def test_no_known_model_skips_instead_of_sending_an_empty_model(serve_app: ServeApp) -> None:
    server = OpenAIServer(models=[], served=["m"])
    result = run(
        serve_app(server.app()), checks=("oai-models-list", "oai-developer-role", "oai-range-boundary")
    )
    assert not any(isinstance(body, dict) and body.get("model") == "" for _, body in server.seen)
    for req_id in ("OAI-DEVELOPER-ROLE", "OAI-RANGE-BOUNDARY"):
        assert result.requirements[req_id].outcome == Outcome.SKIPPED, req_id
        assert NoModelKnown.REASON in result.requirements[req_id].summary()
    # An empty /v1/models list is a failure of its own requirement, never a vacuous pass.
    assert result.requirements["OAI-MODELS-LIST"].outcome == Outcome.FAILED
    assert result.profiles["openai-chat"].decided["how"] == "probed"


def test_an_empty_models_list_fails_even_when_the_model_is_given(serve_app: ServeApp) -> None:
    server = OpenAIServer(models=[], served=["m"])
    result = run(serve_app(server.app()), checks=("oai-models-list",), model="m")
    assert result.requirements["OAI-MODELS-LIST"].outcome == Outcome.FAILED


def _result(req_id: str, outcome: Outcome = Outcome.PASSED) -> RequirementResult:
    entry = load_contract().requirements[req_id]
    result = RequirementResult(req_id, entry["level"], entry["text"], tuple(entry["profiles"]))
    result.outcome = outcome
    return result


def test_a_shared_requirement_counts_in_one_profile() -> None:
    contract, registry = load_contract(), registered_checks()
    every = dict.fromkeys(contract.profiles, True)
    # OAI-RETRY-AFTER is proven by a backpressure check only: it is backpressure's, even when
    # backpressure is not selected, so openai-chat can reach success with its own checks.
    assert (
        owning_profile(_result("OAI-RETRY-AFTER"), {"openai-chat": True}, contract, registry)
        == "backpressure"
    )
    # On an OpenAI-only target the SSE framing rules count in openai-chat, not in tasks.
    only_chat = {"tasks": False, "openai-chat": True, "generate": False}
    assert owning_profile(_result("SSE-DATA-JSON"), only_chat, contract, registry) == "openai-chat"
    assert owning_profile(_result("SSE-DATA-JSON"), every, contract, registry) == "tasks"


def test_every_profile_can_succeed_with_its_own_checks() -> None:
    """A MUST a profile owns is covered by a check of that profile, so a correct server is not
    left *partial* by "no check selected" (the old OAI-RETRY-AFTER in openai-chat)."""
    contract, registry = load_contract(), registered_checks()
    for profile in contract.profiles:
        supported = {profile: True}
        for req in contract.requirements_for_profile(profile):
            owner = owning_profile(_result(req.id), supported, contract, registry)
            if owner != profile or req.level != "MUST":
                continue
            own = [s.name for s in registry.values() if req.id in s.requirements and profile in s.profiles]
            assert own, f"{req.id} is counted in {profile} but no check of {profile} covers it"


def _passes(ctx: CheckContext) -> None:
    for req_id in ("CHAT-DONE-SENTINEL",):
        ctx.passed(req_id, "ok")


def test_an_excluded_check_leaves_its_requirements_not_run(serve_app: ServeApp) -> None:
    url = serve_app(OpenAIServer().app())
    registry = {
        "kept": CheckSpec("kept", ("CHAT-DONE-SENTINEL",), ("openai-chat",), (), _passes, ""),
        "left": CheckSpec("left", ("CHAT-ROLE-FIRST",), ("openai-chat",), (), _passes, ""),
    }
    options = SuiteOptions(target=url, profiles=("openai-chat",), exclude_checks=("left",))
    result = run_suite(options, registry=registry)
    left = result.requirements["CHAT-ROLE-FIRST"]
    assert left.not_run and "--exclude-check" in left.summary()
    assert result.requirements["CHAT-DONE-SENTINEL"].outcome == Outcome.PASSED
    # A requirement no check covers at all is a gap of the run, skipped (not "not run").
    gap = result.requirements["CHAT-USAGE-TOTAL"]
    assert gap.outcome == Outcome.SKIPPED and not gap.not_run


def _exchange(body: str, stream: bool = True) -> Exchange:
    content_type = "text/event-stream" if stream else "application/json"
    return Exchange(
        "POST", "http://h/v1/chat/completions", {}, body, 200, {"content-type": content_type}, "", 0.1
    )


def test_cascade_rules_on_the_shapes_real_servers_produced() -> None:
    """The findings of LiteLLM's and transformers' runs (issue 10): one stream, one usage chunk
    carrying a choice, and schemathesis streaming the same operation with another body."""
    grammar, fuzzed = _exchange('{"stream":true}'), _exchange('{"messages":[{"role":"tool"}],"stream":true}')
    usage_chunk = Finding(
        "CHAT-USAGE-CHUNK",
        Outcome.FAILED,
        "chat-stream-grammar",
        "chat stream with include_usage: event #19: [usage_chunk.choices] "
        "the usage chunk has non-empty `choices`",
        exchanges=(grammar,),
    )
    after_finish = Finding(
        "CHAT-FINISH-ONCE",
        Outcome.FAILED,
        "chat-stream-grammar",
        "chat stream with include_usage: event #19: [finish_reason_once_per_choice] "
        "choice 0 has a chunk after its finish (#18)",
        exchanges=(grammar,),
    )
    schema = Finding(
        "SSE-DATA-JSON",
        Outcome.FAILED,
        "chat-stream-grammar",
        "chat stream: event #0: [payload-schema:ChatCompletionChunk] data does not match: "
        'choices/0: "finish_reason" is a required property',
        exchanges=(grammar,),
    )
    finish = Finding(
        "CHAT-FINISH-VALUE",
        Outcome.FAILED,
        "chat-stream-grammar",
        "chat stream: event #0: [finish_reason-present] choice 0 has no `finish_reason` key (+2 more)",
        exchanges=(grammar,),
    )
    fuzz = Finding(
        "RESP-SCHEMA",
        Outcome.FAILED,
        "schema-driven",
        "createChatCompletion [positive]: SSE event violates schema: Event #0 is not valid",
        exchanges=(fuzzed,),
    )
    unrelated = Finding(
        "CHAT-ROLE-FIRST",
        Outcome.FAILED,
        "chat-stream-grammar",
        "chat stream: event #0: [role-first] the first delta has no role",
        exchanges=(grammar,),
    )
    found = {f.requirement_id: [f] for f in (usage_chunk, after_finish, schema, finish, fuzz, unrelated)}
    order = [r.id for r in load_contract().requirement_list]
    linked = {req: fs[0].caused_by for req, fs in link_causes(found, order).items()}
    assert (
        linked["CHAT-FINISH-ONCE"] is not None
        and linked["CHAT-FINISH-ONCE"].requirement_id == "CHAT-USAGE-CHUNK"
    )
    assert (
        linked["SSE-DATA-JSON"] is not None and linked["SSE-DATA-JSON"].requirement_id == "CHAT-FINISH-VALUE"
    )
    # Another request to the same streamed operation: followed to the first root.
    assert linked["RESP-SCHEMA"] is not None and linked["RESP-SCHEMA"].requirement_id == "CHAT-FINISH-VALUE"
    # A different rule at the same event is a different defect; roots stay unlinked.
    assert linked["CHAT-ROLE-FIRST"] is None and linked["CHAT-FINISH-VALUE"] is None
    assert linked["CHAT-USAGE-CHUNK"] is None
    # A JSON (non-stream) schema failure is not tied to a stream's chunk schema.
    plain = dataclasses.replace(fuzz, exchanges=(_exchange("{}", stream=False),))
    again = link_causes({**found, "RESP-SCHEMA": [plain]}, order)
    assert again["RESP-SCHEMA"][0].caused_by is None
