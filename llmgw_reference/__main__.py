"""CLI: `python -m llmgw_reference [--config FILE] [--host H] [--port P] [--api-key K] [--role R] ...`.

Why flags over the file: `make serve` and tests start the server with a few overrides; a flag
wins over the config file, which wins over the defaults.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import uvicorn

from llmgw_reference.config import ALL_SCOPES, Config, load_config_file

#: How long a worker keeps an idle connection (uvicorn's default is 5 s): its clients are gateways
#: that pool connections (`llmgw_reference.worker_http.KEEPALIVE_EXPIRY_S` is below this).
WORKER_KEEPALIVE_S = 75


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m llmgw_reference", description="The reference LLM gateway."
    )
    parser.add_argument("--config", help="YAML or JSON config file (keys of llmgw_reference.config.Config)")
    parser.add_argument("--host", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8080)")
    parser.add_argument(
        "--api-key",
        action="append",
        default=[],
        help="an API key with every scope (repeatable); KEY=scope1,scope2 limits its scopes",
    )
    parser.add_argument(
        "--role", choices=["combined", "gateway", "worker"], help="process role (default combined)"
    )
    parser.add_argument(
        "--worker-url", action="append", default=[], help="a worker's base URL (gateway role; repeatable)"
    )
    parser.add_argument("--fault", action="append", default=[], help="start in this fault mode (repeatable)")
    parser.add_argument("--queue-capacity", type=int, help="admission queue capacity per pool")
    parser.add_argument("--admission-policy", choices=["drop_lru", "reject"], help="what a full queue does")
    parser.add_argument("--ttft-ms", type=float, help="synthetic time to first token")
    parser.add_argument("--tokens-per-s", type=float, help="synthetic decode speed")
    parser.add_argument("--accounts-db", help="SQLite file of keys, usage and balances (default: in memory)")
    parser.add_argument("--log-level", default="warning", help="uvicorn log level")
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    config = load_config_file(args.config) if args.config else Config()
    changes: dict[str, object] = {}
    for name in (
        "host",
        "port",
        "role",
        "queue_capacity",
        "admission_policy",
        "ttft_ms",
        "tokens_per_s",
        "accounts_db",
    ):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.api_key:
        keys = dict(config.api_keys)
        for item in args.api_key:
            key, _, scopes = item.partition("=")
            keys[key] = tuple(s for s in scopes.split(",") if s) if scopes else ALL_SCOPES
        changes["api_keys"] = keys
    if args.worker_url:
        changes["worker_urls"] = tuple(args.worker_url)
    if args.fault:
        changes["faults"] = tuple(config.faults) + tuple(args.fault)
    config = replace(config, **changes)  # type: ignore[arg-type]
    if config.role == "gateway" and not config.worker_urls:
        raise SystemExit("--role gateway needs --worker-url")
    return config


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = config_from_args(args)
        from llmgw_reference.app import create_app

        app = create_app(config)
    except ValueError as exc:
        print(f"reference: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        log_level=args.log_level,
        timeout_graceful_shutdown=1,
        timeout_keep_alive=WORKER_KEEPALIVE_S if config.role == "worker" else 5,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
