"""WordprocessingML pieces python-docx does not write: tracked changes, comments,
right-to-left marks and byte-stable packaging. Element builders in python-docx's style."""
