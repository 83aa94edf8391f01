"""The fidelity check: the contract's OpenAI surface against the official OpenAI description.

Usage::

    python -m tools.openai_fidelity            # undecided differences; exit 0 only when none
    python -m tools.openai_fidelity --list     # every difference, decided ones with their reason
    python -m tools.openai_fidelity --extract openapi.yaml --commit SHA --commit-date DATE --out F

``facts.yaml`` (beside this file) records, per official schema, what the official description
(``openai/openai-openapi``, ``openapi.yaml``; the version is in its ``source``) says: fields,
types, nullability, values, bounds, defaults, required keys.  Its ``roots`` map official schemas to
ours (``CreateChatCompletionRequest`` -> ``data.yaml#/components/schemas/ChatCompletionRequest``
...).  The check reads both sides into shapes (:mod:`.shape`, :mod:`.facts`, :mod:`.contract`),
compares them (:mod:`.compare`) and judges each difference (:mod:`.decisions`): a difference is
decided when the contract carries an ``x-openai-fidelity`` reason for it, in one of these forms::

    x-openai-fidelity: <reason>                    # every difference of this value
    x-openai-fidelity: {<aspect>: <reason>, ...}   # the named aspects of this value
    x-openai-fidelity:                             # on an object: about its fields, absent ones too
      properties: {<field>: <reason> | {<aspect>: <reason>, ...}}

with aspects ``type nullable enum default minimum maximum exclusiveMinimum exclusiveMaximum
minLength maxLength pattern minItems maxItems minProperties maxProperties closed missing extra
required``.  An ``x-openai-fidelity`` entry that decides no difference is stale and fails the check
like an undecided difference.

Output: one line per difference, ``<official path>  <file>#<pointer in ours>  <aspect>: official
<...>; ours <...>``, where the official path is the official schema name then ``.field``, ``[]``
(array items) and ``{}`` (map values), e.g. ``CreateChatCompletionRequest.messages[].content``.
Exit status: 0 nothing undecided, stale or malformed; 1 otherwise; 2 the facts or contract cannot
be read.
"""
