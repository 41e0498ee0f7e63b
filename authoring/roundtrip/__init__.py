"""Word files that come back: read an edited DOCX and turn its changes into proposals."""
