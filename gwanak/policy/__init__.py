"""정책참여: proposals, asks, contest, event (see gwanak/data/menus.json)."""
