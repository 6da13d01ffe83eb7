"""주민자치회: the 21 동 residents' autonomy councils (see gwanak/data/menus.json)."""
