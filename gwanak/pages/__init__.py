"""Staff-edited informational pages and their revisions."""
