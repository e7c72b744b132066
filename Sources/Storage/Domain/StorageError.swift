/// Storage outcomes the layers above answer differently from a plain failure. Anything else a
/// backend throws (its own error type) is a 500.
public enum StorageError: Error, Equatable, Sendable {
    /// Another user already has this normalized email.
    case duplicateEmail
    /// Another user already has this normalized user name (with a different email).
    case duplicateUserName
    /// Another user already has this id.
    case duplicateUserId
    /// A session with this id hash exists.
    case duplicateSession
    /// A write named a user that does not exist.
    case userNotFound
    /// A stored value could not be read back (hand-edited or corrupt row).
    case malformedValue(table: String, column: String, value: String)
    /// The storage does not answer (the database server is down or unreachable). Requests get
    /// 503; the worker stays up and tries again at the next request.
    case unavailable(String)
}
