"""The home page: what is open now, and the map of every menu."""
