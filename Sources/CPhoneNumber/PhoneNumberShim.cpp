// C++ shim over libphonenumber: filled in by the Phone layer.
