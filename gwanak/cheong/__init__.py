"""관악청: about, meetings with the mayor (see gwanak/data/menus.json)."""
