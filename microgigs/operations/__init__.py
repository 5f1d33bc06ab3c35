"""Running MicroGigs for real: the configuration check, the production start, backups."""
