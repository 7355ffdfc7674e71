"""Query budgets the page tests share."""

# Every initiative page counts what waits for its reader in the navigation
# (backbone/web/waiting.py): at most this many queries, whatever the size of the data.
NAVIGATION_QUERIES = 17
