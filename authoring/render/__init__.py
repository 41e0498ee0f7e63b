"""Model -> presentation: tables from the terms (HTML today, DOCX next). No business rules here."""
