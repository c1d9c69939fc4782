"""The command-line interface: parses input, calls the engine, renders. No scoring logic lives here."""
