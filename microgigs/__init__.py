"""MicroGigs: a self-hosted micro-internship platform."""
