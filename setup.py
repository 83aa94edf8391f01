"""Packaging's one step pyproject.toml cannot express: contracts/ shipped inside llmgw_contracts.

The contract files stay at the top of the repository (``contracts/``), where the layout shows them;
the wheel carries them as ``llmgw_contracts/data/`` (package data found with importlib.resources).
setuptools maps a folder to a package only through ``package_dir``, and a mapped package is not
found by ``packages.find``, so the package list is the found ``llmgw_*`` packages plus the mapped
folders. ``tools/`` and ``tests/`` stay out of the wheel: they work on the checkout.
"""

from setuptools import find_namespace_packages, setup

CONTRACT_PACKAGES = ["llmgw_contracts.data", "llmgw_contracts.data.openapi"]

setup(
    # Namespace find: data folders such as llmgw_conformance/report/templates have no __init__.py.
    packages=[*find_namespace_packages(include=["llmgw_*"], exclude=["*.__pycache__"]), *CONTRACT_PACKAGES],
    package_dir={"llmgw_contracts.data": "contracts"},
)
