"""Planning tools over the catalog and the fit engine: cost, comparison and choice."""
