"""Manager summaries of a pulse team: trends, focus, comments, commitments, chart and CSV."""
