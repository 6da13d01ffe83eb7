"""정책참여 이벤트 (monthly participation event): each month the residents with the most
proposals on 제안하기 and the most comments on 제안하기 and 관악구가 묻습니다! win a voucher.
"""
