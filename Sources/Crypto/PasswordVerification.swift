/// The outcome of checking a password against a stored hash.
public enum PasswordVerification: Sendable, Equatable {
    /// Wrong password, or a stored hash this code cannot read.
    case failed
    case succeeded
    /// Right password, but the stored hash is of another algorithm or weaker than configured:
    /// store `hash(password)` now, while the plain password is at hand.
    case succeededRehashNeeded
}
