public import FoundationEssentials

/// When each account was registered, so that accounts never confirmed can expire
/// (`email.unconfirmed_lifetime`) and an address cannot be squatted forever. Kept beside
/// `AspNetUsers` (whose columns stay ASP.NET Core Identity's); a user's row goes with the user.
///
/// Each method is one atomic statement, safe from several processes at once.
public protocol RegistrationLog: AnyObject {
    /// Records that `userId` registered at `at` (call in the transaction that inserts the user).
    func recordRegistration(userId: String, at: Date) throws

    /// Deletes every account whose email is still unconfirmed and that registered before
    /// `registeredBefore` (inclusive: an account expires at exactly its lifetime) — only the one
    /// with `normalizedEmail` when given. Returns how many.
    /// Accounts registered before this log existed count as registered when it was created.
    @discardableResult
    func deleteUnconfirmed(registeredBefore: Date, normalizedEmail: String?) throws -> Int
}
