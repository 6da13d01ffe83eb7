"""매니페스토: pledges (see gwanak/data/menus.json)."""
