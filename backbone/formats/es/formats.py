# Spanish groups thousands with a narrow no-break space (1 234,5), as the RAE's Ortografía
# recommends and French does; Django's own Spanish uses a full-width one.
THOUSAND_SEPARATOR = "\u202f"
