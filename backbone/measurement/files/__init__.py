"""Values in and out as files: reading CSV and Excel uploads into the intake, the
pre-filled reporting template, and exports of values with their history."""
