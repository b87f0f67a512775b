"""Manager summaries: commitments a manager makes to a focus practice."""
