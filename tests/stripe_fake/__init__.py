"""A stateful fake of Stripe on a loopback port (see app.py), and a way to serve ASGI apps in a thread."""
