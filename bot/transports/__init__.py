"""Thin front ends over the handlers: the console, Discord, the HTTP endpoint, the editors' page."""
