"""`python -m services.recruitment`."""

from services.recruitment.app import spec
from services.recruitment.settings import RecruitmentSettings, copies_window
from shared.entrypoint import serve

settings = RecruitmentSettings()
serve(spec(copies_window(settings)), settings)
