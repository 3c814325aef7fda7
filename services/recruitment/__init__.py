"""Recruitment: candidates, intake, consent with its evidence, the life cycle, the organisations around a participant
and counselling; the only place personal data is kept."""
