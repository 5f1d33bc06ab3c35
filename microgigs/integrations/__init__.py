"""Outside systems behind small interfaces: payments, mail, file storage."""
