// Filled in by the Messaging layer.
