// Filled in by the Web layer.
