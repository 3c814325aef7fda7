"""Qualification: language courses and compensation measures, certificates and exams, until qualified."""
