"""Questionnaires: XLSForm in and out, the respondent's side."""
