"""Our own HTTP routes (Starlette), served on the same port as the Reflex app."""
