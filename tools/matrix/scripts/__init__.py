"""Scripts run by the engines' own interpreters (not the project's), to write the tiny models."""
