"""Answer objects to text, to Discord embeds and to HTML. No answer is computed here."""
