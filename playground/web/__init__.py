"""The playground in a browser: the emulator's server drawn as Discord draws it, live."""
