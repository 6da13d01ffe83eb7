"""Parts every menu shares: extensions, config, security, htmx, masking, audit, mail."""
