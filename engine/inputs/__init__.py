"""What a question brings: money, dated FX rates, and the firm profile checked against the
vocabulary."""
