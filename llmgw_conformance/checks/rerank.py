"""Rerank: results sorted by score, each document at most once, at most ``top_n``; native rerank tasks.

Why: a reranker's only job is the order; a client takes the first k results as the best k, so an
unsorted answer or a repeated document silently degrades retrieval quality.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.answer_problems import judge_problems, ok_object
from llmgw_conformance.probes.error_rules import field_list
from llmgw_conformance.probes.target_claims import model_for
from llmgw_conformance.probes.task_requests import judge_task_result
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

QUERY = "Which animal purrs?"
DOCUMENTS = [
    "Cats purr when content.",
    "The stock market fell.",
    "Dogs bark at night.",
    "Kittens purr too.",
    "Rain.",
]


def ranking_problems(
    items: list[Any], n_docs: int, score_key: str, top_n: int | None, every: bool
) -> list[str]:
    """Problems of a ranking: order by score, indexes valid and unique, count (exact when ``every``)."""
    problems: list[str] = []
    scores: list[float] = []
    seen: set[int] = set()
    for item in items:
        if not isinstance(item, Mapping):
            problems.append(f"result {item!r} is not an object")
            continue
        index, score = item.get("index"), item.get(score_key)
        if not isinstance(index, int) or not 0 <= index < n_docs:
            problems.append(f"index {index!r} names no document")
        elif index in seen:
            problems.append(f"document {index} ranked twice")
        else:
            seen.add(index)
        if isinstance(score, int | float) and not isinstance(score, bool):
            scores.append(float(score))
        else:
            problems.append(f"score {score!r} is not a number")
    if any(a < b for a, b in itertools.pairwise(scores)):
        problems.append(f"scores {scores} are not highest first")
    if top_n is not None and len(items) > top_n:
        problems.append(f"{len(items)} results for top_n {top_n}")
    if every and len(seen) != n_docs:
        problems.append(f"{len(seen)} of {n_docs} inputs ranked")
    return problems


@check("rerank-order", requirements=["RERANK-ORDER"], profiles=["rerank"])
def rerank_order(ctx: CheckContext) -> None:
    """/v1/rerank results are sorted by relevance_score, name each document once, and hold at most top_n."""
    req = "RERANK-ORDER"
    with Verdicts(ctx, [req]) as verdicts:
        for top_n in (None, 2):
            body: dict[str, Any] = {
                "model": model_for(ctx, "rerank")[0],
                "query": QUERY,
                "documents": DOCUMENTS,
            }
            if top_n is not None:
                body["top_n"] = top_n
            response = ctx.request("POST", "/v1/rerank", json=body)
            answer = ok_object(
                verdicts,
                req,
                response,
                "/v1/rerank",
                expected="200 RerankResponse",
                holds=lambda found: isinstance(found.get("results"), list),
            )
            if answer is not None:
                problems = ranking_problems(
                    answer["results"], len(DOCUMENTS), "relevance_score", top_n, every=False
                )
                judge_problems(verdicts, req, response, problems)


def _task_ranking_problems(result: Mapping[str, Any]) -> list[str]:
    """A native rerank result ranks every document exactly once, highest score first."""
    return ranking_problems(field_list(result, "ranking"), len(DOCUMENTS), "score", None, every=True)


@check("task-rerank-result", requirements=["TASK-RERANK-RESULT"], profiles=["rerank"])
def task_rerank_result(ctx: CheckContext) -> None:
    """A succeeded native rerank task ranks every input exactly once, highest score first."""
    req = "TASK-RERANK-RESULT"
    with Verdicts(ctx, [req]) as verdicts:
        judge_task_result(ctx, verdicts, req, ("rerank", QUERY, DOCUMENTS), _task_ranking_problems)
