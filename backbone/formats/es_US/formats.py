# Spanish as written in the United States (and Mexico): a decimal point and a thousands
# comma, as the figures around its readers are written; the rest is Spain's Spanish.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
