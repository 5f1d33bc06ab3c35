"""One module per page; each has `register(app)` that adds its route."""
