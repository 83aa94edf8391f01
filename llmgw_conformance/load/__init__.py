"""Conformance under load: Locust users whose every streamed answer is read and judged.

Why on Locust and not a home-made load generator: spawning, rates, step shapes, per-request figures
and the master/worker protocol are what Locust does and keeps doing well; what it cannot do is judge
a stream, which is what this package adds. Each simulated user sends the contract's streaming
requests (:mod:`.mix`), reads every answer with the suite's strict SSE reader and judges it with the
grammar judges (:mod:`.judging`); verdicts and figures are kept in a mergeable :mod:`.tally` that
workers send to the master. :mod:`.session` runs the load (alone, master or worker),
:mod:`.verdicts` turns the tally into the run record the normal reports render, and
:mod:`.html_section` adds the latency figures and plots to report.html.

Importing :mod:`.session` or :mod:`.users` imports Locust, which monkey-patches the standard
library with gevent: only the ``load`` command imports them, never a normal run.
"""
