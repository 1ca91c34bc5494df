"""The clinician report: one self-contained HTML file (inline SVG charts, embedded photos) to print."""
