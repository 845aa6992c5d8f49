"""Export of a question bank to other tools' formats (SurveyJS)."""
