"""The contract diff and the breaking-change gate (issue 14).

The contract is what every gateway, worker, client and vendor builds against, so a change to it is
classified before it ships: each difference between two versions of ``contracts/`` is **breaking**,
**compatible** or **informational**, with its location (file, JSON pointer, operations) and a
sentence.  The rules are data (:mod:`tools.contract_diff.rules`) beside small comparison functions,
modelled on oasdiff's checks (kebab-case ids per request/response element, a removal located in the
old document) and on Buf's breaking categories (what a change breaks: the wire, generated code, or a
vendor's conformance standing).

* ``python -m tools.contract_diff OLD NEW [--json]``: the diff (each side a folder or a git ref);
* ``python -m tools.contract_diff.gate``: the last released copy (``contracts/released/``) against
  the working tree, failing on a missing version bump or changelog entry;
* ``python -m tools.contract_diff.release``: make the current contract the released copy.
"""
