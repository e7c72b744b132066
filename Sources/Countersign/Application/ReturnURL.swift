/// The `ReturnUrl` rule: only local paths, so a sign-in link can never send a user to another
/// site (an open redirect is a phisher's favourite tool).
enum ReturnURL {
    /// True for `/x...`; false for `//host`, `/\host` (browsers read both as another host),
    /// absolute URLs, and anything with control characters.
    static func isLocal(_ value: String) -> Bool {
        guard value.hasPrefix("/") else { return false }
        let scalars = Array(value.unicodeScalars)
        if scalars.count > 1 && (scalars[1] == "/" || scalars[1] == "\\") { return false }
        return !scalars.contains { $0.value < 0x20 || $0.value == 0x7f } && value.utf8.count <= 2048
    }
}
