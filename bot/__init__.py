"""RunLocal Bot: quick, sourced answers for local-AI communities."""

__version__ = "0.1.0"
