"""Contest pages: set-up and registration (contests), contestants, judges, chief judges."""
