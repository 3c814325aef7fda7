"""Every text of the coordinator page and the exports, German first and English, in one place so both stay complete.

Codes (stages, professions, follow-up kinds, indicator categories...) are translated through `label`, which falls
back to the code itself: a value a newer service version sends still shows, just not in words.
"""

from __future__ import annotations

from shared.contracts.regions import region_name

LANGUAGES = ("de", "en")

# key: (German, English)
_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Integrationsweg: Netzwerkberichte", "Integration Journey: network reports"),
    "skip": ("Zum Inhalt", "Skip to content"),
    "nav.dashboard": ("Übersicht", "Overview"),
    "nav.follow_up": ("Wiedervorlagen", "Follow-up list"),
    "nav.export_csv": ("Export CSV", "Export CSV"),
    "nav.export_xlsx": ("Export Excel", "Export Excel"),
    "nav.logout": ("Abmelden", "Log out"),
    "nav.switch_language": ("English", "Deutsch"),
    "nav.signed_in_as": ("Angemeldet als", "Signed in as"),
    "login.title": ("Anmeldung", "Sign in"),
    "login.login": ("Benutzername", "User name"),
    "login.password": ("Passwort", "Password"),
    "login.submit": ("Anmelden", "Sign in"),
    "login.failed": (
        "Anmeldung fehlgeschlagen. Nach mehreren Fehlversuchen ist das Konto einige Minuten gesperrt.",
        "Sign-in failed. After several failed attempts the account is locked for a few minutes.",
    ),
    "filters.title": ("Auswahl", "Filters"),
    "filters.period": ("Förderperiode", "Funding period"),
    "filters.from": ("Von", "From"),
    "filters.to": ("Bis", "To"),
    "filters.region": ("Bundesland", "Region"),
    "filters.district": ("Kreis", "District"),
    "filters.org": ("Organisation", "Organisation"),
    "filters.profession": ("Berufsgruppe", "Profession group"),
    "filters.country_group": ("Ausbildungsstaat", "Country of training"),
    "filters.all": ("alle", "all"),
    "filters.apply": ("Anzeigen", "Show"),
    "filters.reset": ("Auswahl zurücksetzen", "Reset filters"),
    "filters.closed": ("abgeschlossen", "closed"),
    "headline.title": ("Auf einen Blick", "At a glance"),
    "headline.participants": ("Teilnehmende (Eintritte)", "Participants (entries)"),
    "headline.period": ("Zeitraum", "Period"),
    "headline.all_time": ("gesamter Zeitraum", "all time"),
    "headline.generated_at": ("Stand", "Generated at"),
    "headline.scope": ("Sichtbereich", "Scope"),
    "headline.overdue": ("Überfällige Wiedervorlagen", "Overdue follow-ups"),
    "funnel.title": ("Verlauf nach Phasen", "Funnel by stage"),
    "funnel.stage": ("Phase", "Stage"),
    "funnel.entered": ("Eingetreten", "Entered"),
    "funnel.left": ("Ausgetreten", "Left"),
    "funnel.active_at_end": ("Aktiv am Ende", "Active at end"),
    "funnel.chart": ("Eintritte je Phase (Balkendiagramm)", "Entries per stage (bar chart)"),
    "durations.title": ("Dauern zwischen Meilensteinen", "Durations between milestones"),
    "durations.span": ("Abschnitt", "Span"),
    "durations.n": ("Fälle", "Cases"),
    "durations.median": ("Median (Tage)", "Median (days)"),
    "durations.p75": ("75 % (Tage)", "75th percentile (days)"),
    "durations.p90": ("90 % (Tage)", "90th percentile (days)"),
    "durations.chart": (
        "Median in Tagen als Balken, 75 %- und 90 %-Wert als Striche",
        "Median days as bars, 75th and 90th percentiles as marks",
    ),
    "outcomes.title": ("Ergebnisse", "Outcomes"),
    "outcomes.stage": ("Phase", "Stage"),
    "outcomes.outcome": ("Ergebnis", "Outcome"),
    "outcomes.count": ("Anzahl", "Count"),
    "counselling.title": ("Beratungen nach Art", "Counselling by type"),
    "counselling.type": ("Art", "Type"),
    "counselling.count": ("Anzahl", "Count"),
    "retention.title": ("Verbleib in Beschäftigung", "Retention in employment"),
    "retention.months": ("Monate nach Beginn", "Months after start"),
    "retention.due": ("Fällig", "Due"),
    "retention.still_employed": ("Noch beschäftigt", "Still employed"),
    "retention.ended": ("Beendet", "Ended"),
    "indicators.title": ("ESF+-Indikatoren", "ESF+ indicators"),
    "indicators.indicator": ("Indikator", "Indicator"),
    "indicators.category": ("Ausprägung", "Category"),
    "indicators.count": ("Anzahl", "Count"),
    "legend.suppressed": (
        "„x“: aus Datenschutzgründen nicht ausgewiesen: weniger als 5 Fälle, oder verborgen, damit sich eine solche"
        " Zahl nicht aus der Summe errechnen lässt (0 wird gezeigt).",
        "“x”: not shown to protect privacy: fewer than 5 cases, or hidden so that such a number cannot be worked out"
        " from the total (0 is shown).",
    ),
    "legend.disclosure": (
        "Keine Zelle zeigt eine Anzahl von 1 bis 4; solche Werte erscheinen als „x“, ebenso eine weitere Zelle, wo"
        " sich die verborgene sonst aus der Summe errechnen ließe.",
        "No cell shows a count from 1 to 4; such values appear as “x”, and so does one more cell where the hidden one"
        " could otherwise be worked out from the total.",
    ),
    "empty": ("Keine Daten", "No data"),
    "follow_up.title": ("Wiedervorlagen", "Follow-up list"),
    "follow_up.intro": (
        "Teilnehmende, bei denen etwas fällig ist, nach Fälligkeit sortiert.",
        "Participants who need attention, by due date.",
    ),
    "follow_up.pseudonym": ("Pseudonym", "Pseudonym"),
    "follow_up.profession": ("Beruf", "Profession"),
    "follow_up.stage": ("Phase", "Stage"),
    "follow_up.region": ("Bundesland", "Region"),
    "follow_up.org": ("Organisation", "Organisation"),
    "follow_up.kind": ("Anlass", "Reason"),
    "follow_up.due_on": ("Fällig am", "Due on"),
    "follow_up.overdue": ("überfällig", "overdue"),
    "follow_up.case_reference": ("Ihr Aktenzeichen", "Your reference"),
    "follow_up.none": ("Zurzeit ist nichts fällig.", "Nothing is due at the moment."),
    "error.forbidden": ("Kein Zugriff", "Access denied"),
    "error.forbidden.text": (
        "Diese Seite oder diese Auswahl gehört nicht zu Ihrem Sichtbereich.",
        "This page or selection is outside your scope.",
    ),
    "error.region_refused": (
        "Die gewählte Region gehört nicht zu Ihrem Sichtbereich.",
        "The selected region is outside your scope.",
    ),
    "error.org_refused": (
        "Die gewählte Organisation gehört nicht zu Ihrem Sichtbereich.",
        "The selected organisation is outside your scope.",
    ),
    "error.funder_follow_up": (
        "Fördermittelgebende sehen nur zusammengefasste Zahlen, keine Wiedervorlagen.",
        "Funders see aggregate figures only, no follow-up list.",
    ),
    "error.csrf": (
        "Das Formular ist abgelaufen oder ungültig. Bitte laden Sie die Seite neu.",
        "The form has expired or is invalid. Please reload the page.",
    ),
    "error.not_found": ("Seite nicht gefunden", "Page not found"),
    "error.back": ("Zur Übersicht", "Back to the overview"),
    "role.coordinator": ("Netzwerkkoordination", "Network coordinator"),
    "role.partner": ("Partnerorganisation", "Partner organisation"),
    "role.funder": ("Fördermittelgeber", "Funder"),
    "scope.all_regions": ("alle Bundesländer, nur zusammengefasste Zahlen", "all regions, aggregates only"),
    "info.sheet": ("Info", "Info"),
    "info.report": ("Bericht", "Report"),
    "info.period": ("Zeitraum", "Period"),
    "info.filters": ("Auswahl", "Filters"),
    "info.generated_at": ("Erstellt am", "Generated at"),
    "info.scope": ("Sichtbereich", "Scope"),
    "info.disclosure": ("Regel", "Disclosure rule"),
    "info.participants": ("Teilnehmende (Eintritte)", "Participants (entries)"),
    "info.none": ("keine", "none"),
    # Codes: stages, spans, outcomes, counselling, follow-up kinds, professions, country groups, indicators.
    "stage.recruitment": ("Gewinnung und Erstberatung", "Recruitment and first counselling"),
    "stage.recognition": ("Anerkennung", "Recognition"),
    "stage.qualification": ("Qualifizierung", "Qualification"),
    "stage.placement": ("Vermittlung", "Placement"),
    "stage.follow_up": ("Nachbetreuung", "Follow-up"),
    "stage.exit": ("Austritt", "Exit"),
    "span.recruited_to_application": ("Aufnahme → Antrag", "Recruited → application"),
    "span.application_to_decision": ("Antrag → Bescheid", "Application → decision"),
    "span.decision_to_licence": ("Bescheid → Berufszulassung", "Decision → licence"),
    "span.licence_to_employment": ("Berufszulassung → Beschäftigung", "Licence → employment"),
    "span.recruited_to_employment": ("Aufnahme → Beschäftigung", "Recruited → employment"),
    "outcome.recognition.full_equivalence": ("volle Gleichwertigkeit", "full equivalence"),
    "outcome.recognition.partial_equivalence": ("teilweise Gleichwertigkeit", "partial equivalence"),
    "outcome.recognition.compensation_required": ("Ausgleichsmaßnahme nötig", "compensation required"),
    "outcome.recognition.rejected": ("abgelehnt", "rejected"),
    "outcome.recognition.comparability_stated": ("Zeugnisbewertung erteilt", "statement of comparability"),
    "outcome.recognition.recognition_not_needed": ("keine Anerkennung nötig", "recognition not needed"),
    "outcome.qualification.completed": ("abgeschlossen", "completed"),
    "outcome.qualification.finally_failed": ("endgültig nicht bestanden", "finally failed"),
    "outcome.qualification.dropped": ("abgebrochen", "dropped"),
    "outcome.exit.employed": ("in Beschäftigung", "employed"),
    "outcome.exit.completed": ("Teilnahme abgeschlossen", "participation completed"),
    "outcome.exit.withdrawn": ("vorzeitig ausgeschieden", "withdrawn"),
    "counselling.first_contact": ("Erstkontakt (anonym)", "First contact (anonymous)"),
    "counselling.recognition": ("Anerkennungsberatung", "Recognition counselling"),
    "counselling.qualification": ("Qualifizierungsberatung", "Qualification counselling"),
    "counselling.job_coaching": ("Begleitung in Arbeit", "Job coaching"),
    "counselling.employer": ("Arbeitgeberberatung", "Employer counselling"),
    "kind.decision_overdue": ("Bescheid überfällig", "Decision overdue"),
    "kind.receipt_overdue": ("Eingangsbestätigung überfällig", "Receipt overdue"),
    "kind.documents_overdue": ("Nachzureichende Unterlagen überfällig", "Documents overdue"),
    "kind.licence_expiring": ("Berufserlaubnis läuft ab", "Licence expiring"),
    "kind.retention_check_due": ("Verbleibsabfrage fällig", "Retention check due"),
    "kind.retention_check_overdue": ("Verbleibsabfrage überfällig", "Retention check overdue"),
    "kind.no_progress": ("Kein Fortschritt", "No progress"),
    "kind.paused_past_return": ("Pause über die geplante Rückkehr hinaus", "Paused past the expected return"),
    "kind.end_notice_due": (
        "Meldung des vorzeitigen Endes fällig (§ 4a Abs. 5 AufenthG)",
        "Notice of early end due (§4a(5) AufenthG)",
    ),
    "profession.nursing_professional": ("Pflegefachkraft", "Nursing professional"),
    "profession.doctor": ("Ärztin/Arzt", "Doctor"),
    "profession.nursing_assistant": ("Pflegehilfskraft", "Nursing assistant"),
    "profession.home_care": ("Häusliche Betreuung", "Home support (Häusliche Betreuung)"),
    "profession.other": ("Sonstiger Beruf", "Other occupation"),
    "country_group.eu_eea_ch": ("EU/EWR/Schweiz", "EU/EEA/Switzerland"),
    "country_group.third_country": ("Drittstaat", "Third country"),
    "indicator.gender": ("Geschlecht", "Gender"),
    "indicator.age_band": ("Altersgruppe", "Age band"),
    "indicator.education_level": ("Bildungsstand (ISCED)", "Education level (ISCED)"),
    "indicator.labour_market_status": ("Erwerbsstatus bei Eintritt", "Labour-market status at entry"),
    "indicator.result_at_exit": ("Ergebnis bei Austritt", "Result at exit"),
    "category.gender.female": ("weiblich", "female"),
    "category.gender.male": ("männlich", "male"),
    "category.gender.diverse": ("divers", "diverse"),
    "category.gender.not_stated": ("keine Angabe", "not stated"),
    "category.age_band.under_18": ("unter 18", "under 18"),
    "category.age_band.18_29": ("18 bis 29", "18 to 29"),
    "category.age_band.30_54": ("30 bis 54", "30 to 54"),
    "category.age_band.55_plus": ("55 und älter", "55 and older"),
    "category.education_level.isced_0_2": ("ISCED 0-2", "ISCED 0-2"),
    "category.education_level.isced_3_4": ("ISCED 3-4", "ISCED 3-4"),
    "category.education_level.isced_5_8": ("ISCED 5-8", "ISCED 5-8"),
    "category.education_level.not_stated": ("keine Angabe", "not stated"),
    "category.labour_market_status.employed": ("erwerbstätig", "employed"),
    "category.labour_market_status.unemployed": ("arbeitslos", "unemployed"),
    "category.labour_market_status.long_term_unemployed": ("langzeitarbeitslos", "long-term unemployed"),
    "category.labour_market_status.inactive": ("nicht erwerbstätig", "inactive"),
    "category.labour_market_status.in_education": ("in Ausbildung", "in education or training"),
    "category.result_at_exit.employed": ("erwerbstätig", "employed"),
    "category.result_at_exit.in_education_or_training": ("in Bildung/Ausbildung", "in education or training"),
    "category.result_at_exit.job_searching": ("arbeitsuchend", "job searching"),
    "category.result_at_exit.inactive": ("nicht erwerbstätig", "inactive"),
}

DE: dict[str, str] = {key: texts[0] for key, texts in _TEXTS.items()}
EN: dict[str, str] = {key: texts[1] for key, texts in _TEXTS.items()}
_BY_LANGUAGE = {"de": DE, "en": EN}


def language(requested: str | None, fallback: str = "de") -> str:
    """A supported language: the one asked for if known, else `fallback`."""
    return requested if requested in _BY_LANGUAGE else fallback


def text(key: str, lang: str) -> str:
    """The text for `key`; a missing key is a bug the completeness test catches, shown as the key meanwhile."""
    return _BY_LANGUAGE.get(lang, DE).get(key, key)


def label(group: str, code: str, lang: str) -> str:
    """A code in words (`label("kind", "decision_overdue", "de")`); unknown codes as they are."""
    return _BY_LANGUAGE.get(lang, DE).get(f"{group}.{code}", code)


def region(code: str, lang: str) -> str:
    return region_name(code, lang)


class Texts:
    """The templates' view of the texts in one language: `t("key")`, `t.label("group", code)`, `t.region(code)`."""

    def __init__(self, lang: str) -> None:
        self.lang = language(lang)

    def __call__(self, key: str) -> str:
        return text(key, self.lang)

    def label(self, group: str, code: str) -> str:
        return label(group, code, self.lang)

    def region(self, code: str) -> str:
        return region_name(code, self.lang)
