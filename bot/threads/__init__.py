"""Anonymous conversations: a manager answers a pulse comment, its author may answer back."""
