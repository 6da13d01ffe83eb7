"""통합 검색: one search over what every feature declares searchable (Feature.search)."""
