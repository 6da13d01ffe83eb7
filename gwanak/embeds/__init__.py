"""Widgets other sites frame (/widgets/…) and the public 퍼가기 page (/embed)."""
