// Filled in by the Config layer.
