"""관악구가 묻습니다! (the district asks): agendas posted by staff, an optional poll,
residents' opinions as comments of the participation engine, and the published result.
"""
