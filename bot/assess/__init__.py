"""`/lvm assess`: a private self-assessment of a lead's balance between leading and managing."""
