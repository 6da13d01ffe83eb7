"""협치관악: governance (see gwanak/data/menus.json)."""
