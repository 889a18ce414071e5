"""Command handlers: a command's options in, an answer object out. No transport knowledge."""
