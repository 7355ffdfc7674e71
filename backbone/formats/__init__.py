"""Numbers and dates as each language writes them, where Django's own formats differ from
the field's usage (FORMAT_MODULE_PATH). A setting not named here is Django's."""
