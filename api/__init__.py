"""The thamquyen HTTP API: SPARQL endpoint, lookup and draft validation over the registry."""
