"""Decisions over evaluated requirements: the passport decision, implication (deeming), the
minimum-compliant licensee, the matrix, comparisons and jurisdiction test cases."""
