"""Charts as reportlab Drawings: the same Drawing goes into the PDF and, as SVG, into the pages."""
