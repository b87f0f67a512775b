"""situation: `/lvm situation`, which side and style fit the situation at hand."""
