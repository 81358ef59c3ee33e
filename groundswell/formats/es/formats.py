# Spanish as read in the United States (CLDR es-US): 1,250 signatures, not 1.250 or 1 250,
# so numbers look the same to a Chicago reader in either language.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
