"""skinrec: a rule-based skin-treatment recommender for the terminal."""

__version__ = "0.1.0"
