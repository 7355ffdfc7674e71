# French groups thousands with a narrow no-break space (1 234,5), as the Imprimerie
# nationale's rules and the CLDR have it; Django's own French uses a full-width one.
THOUSAND_SEPARATOR = "\u202f"
