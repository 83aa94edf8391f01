"""What the checks use to probe a target and to turn what they saw into findings.

Why apart from :mod:`llmgw_conformance.checks`: that package holds the rules only (each module a few
registered check functions); the machinery those rules share (request builders, the operation index,
target claims, error rules, verdict collectors, the schemathesis bridge) lives here, so that no check
module imports another and nothing here is ever taken for a check module. Nothing here registers a check.
"""
