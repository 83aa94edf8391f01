"""The synthetic engine: deterministic, seeded, and honest about not being a real model."""

from llmgw_reference.engine.synthetic import EMBEDDING_DIMENSIONS, GeneratedToken, Generation, SyntheticEngine

__all__ = ["EMBEDDING_DIMENSIONS", "GeneratedToken", "Generation", "SyntheticEngine"]
