"""Every ``x-if-not-honoured`` policy of the contract is well formed (issue 11).

Why: the policy is what a gateway that cannot honour an OpenAI field must do (ignore it, or refuse
it with 400); a policy without a reason, or with another action, would leave gateways guessing and
the suite unable to judge them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[2] / "contracts" / "openapi" / "data.yaml"
ACTIONS = {"ignore", "refuse"}


def policies(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-if-not-honoured":
                yield pointer, value
            else:
                yield from policies(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from policies(value, f"{pointer}/{index}")


def test_every_policy_names_an_action_and_a_reason() -> None:
    found = list(policies(yaml.safe_load(DATA.read_text(encoding="utf-8"))))
    assert len(found) >= 20, "the OpenAI fields a gateway may not honour carry a policy each"
    bad = [
        where
        for where, policy in found
        if not isinstance(policy, dict)
        or set(policy) != {"action", "why"}
        or policy["action"] not in ACTIONS
        or not str(policy["why"]).strip()
    ]
    assert not bad, bad


def test_fields_real_clients_send_have_a_policy() -> None:
    request = yaml.safe_load(DATA.read_text(encoding="utf-8"))["components"]["schemas"][
        "ChatCompletionRequest"
    ]
    fields = request["properties"]
    expected = {"store": "ignore", "metadata": "ignore", "service_tier": "ignore", "audio": "refuse"}
    assert {name: fields[name]["x-if-not-honoured"]["action"] for name in expected} == expected
