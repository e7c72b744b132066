/// A password could not be hashed: the settings are out of range, or the hashing library failed
/// (its own message is kept, e.g. "Memory allocation error").
public struct PasswordHashingError: Error, CustomStringConvertible, Equatable {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { "password hashing failed: \(message)" }
}
