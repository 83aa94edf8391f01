"""What the kill matrix's forkserver imports before it forks any row (see `tools.killmatrix.forked`).

Why a module of its own: multiprocessing preloads by module name, and importing `forked` itself must
stay cheap for the process that only starts rows.
"""

from tools.killmatrix.forked import warm

warm()
