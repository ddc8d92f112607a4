"""NeurIPS Quest: a text adventure set during one week of NeurIPS 2025 in San Diego."""

__version__ = "0.1.0"
