"""Each person's private calendar feed of what their agreements have falling due."""
