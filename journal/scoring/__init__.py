"""Pure numpy scoring: landmarks in, measures and scores out."""
