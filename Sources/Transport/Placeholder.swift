// Filled in by the Transport layer.
