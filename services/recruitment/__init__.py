"""Recruitment: candidates, intake, consent; the only place personal data is kept."""
