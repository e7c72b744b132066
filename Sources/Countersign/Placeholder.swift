// Filled in by the Countersign layer.
