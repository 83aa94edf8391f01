"""The checks module the plugin tests load into the pytest run under test (``--conformance-checks-module``).

Each check appends its name to the file named by ``PLUGIN_CHECK_LOG`` when it runs, so a test can tell
which checks ran, and how often.
"""

SOURCE = """
import os
import time

from llmgw_conformance.registry import check


def _ran(name):
    with open(os.environ["PLUGIN_CHECK_LOG"], "a", encoding="utf-8") as log:
        log.write(name + "\\n")


@check("plug-two", requirements=["SSE-CONTENT-TYPE", "CHAT-DONE-SENTINEL"], profiles=["openai-chat"])
def plug_two(ctx):
    _ran("plug-two")
    r = ctx.stream("POST", "/v1/chat/completions", json={"model": ctx.target.model, "stream": True})
    ctx.passed("SSE-CONTENT-TYPE", "ok", exchanges=[r.exchange])
    ctx.passed("CHAT-DONE-SENTINEL", "ok", exchanges=[r.exchange])


@check("plug-must-fail", requirements=["CHAT-ROLE-FIRST"], profiles=["openai-chat"])
def plug_must_fail(ctx):
    _ran("plug-must-fail")
    r = ctx.request("GET", "/echo")
    ctx.failed("CHAT-ROLE-FIRST", "deliberate MUST failure", expected="a role", exchanges=[r.exchange])


@check("plug-should-fail", requirements=["CHAT-NOTHING-AFTER-DONE"], profiles=["openai-chat"])
def plug_should_fail(ctx):
    _ran("plug-should-fail")
    r = ctx.request("GET", "/echo")
    ctx.failed("CHAT-NOTHING-AFTER-DONE", "deliberate SHOULD failure", exchanges=[r.exchange])


@check("plug-slow", requirements=["OAI-MODELS-LIST"], profiles=["openai-chat"])
def plug_slow(ctx):
    _ran("plug-slow")
    time.sleep(1.2)
    ctx.passed("OAI-MODELS-LIST", "took its time")


@check("plug-not-supported", requirements=["CHAT-USAGE-CHUNK"], profiles=["openai-chat"])
def plug_not_supported(ctx):
    _ran("plug-not-supported")
    ctx.not_supported("CHAT-USAGE-CHUNK", "the target refused stream_options clearly")


@check("plug-crash", requirements=["CHAT-USAGE-TOTAL"], profiles=["openai-chat"])
def plug_crash(ctx):
    _ran("plug-crash")
    raise RuntimeError("deliberate bug in a check")


@check("plug-sleepy", requirements=["CHAT-USAGE-EQUAL"], profiles=["openai-chat"])
def plug_sleepy(ctx):
    _ran("plug-sleepy")
    time.sleep(60)
    ctx.passed("CHAT-USAGE-EQUAL", "woke up")


@check("plug-cascade", requirements=["CHAT-FINISH-VALUE", "SSE-DATA-JSON"], profiles=["openai-chat"])
def plug_cascade(ctx):
    _ran("plug-cascade")
    r = ctx.stream("POST", "/v1/chat/completions", json={"model": ctx.target.model, "stream": True})
    # One defect (no finish_reason key) seen by a rule and by the chunk schema: the schema's is caused.
    rule = "chat stream: event #1: [rule] no 'finish_reason' key"
    schema = "chat stream: event #1: [schema] 'finish_reason' is required"
    ctx.failed("CHAT-FINISH-VALUE", rule, exchanges=[r.exchange])
    ctx.failed("SSE-DATA-JSON", schema, exchanges=[r.exchange])
"""
