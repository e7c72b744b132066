// Filled in by the Storage layer.
