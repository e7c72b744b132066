// Filled in by the Phone layer.
