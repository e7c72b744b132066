import FoundationEssentials

/// Where accounts live. Every method is one atomic change, safe when several worker processes
/// act on the same user at once, and every write also sets a new `ConcurrencyStamp`.
///
/// Look-ups return nil for an unknown user; writes to an unknown user throw
/// `StorageError.userNotFound`.
public protocol UserStore: AnyObject {
    /// Adds a user as given (stamps included). Throws `StorageError.duplicateEmail` when another
    /// user has the same `normalizedEmail`; the check is a UNIQUE index, so of several processes
    /// racing to register one address exactly one succeeds.
    func insert(_ user: UserRecord) throws

    func user(id: String) throws -> UserRecord?

    func user(normalizedEmail: String) throws -> UserRecord?

    /// Sets `EmailConfirmed`; confirming twice is harmless.
    func markEmailConfirmed(userId: String) throws

    /// Counts one failed sign-in. When the count reaches `maxFailures` the account is locked
    /// until `lockoutUntil` and the count starts again from 0 (ASP.NET Core Identity's
    /// `AccessFailedAsync`). One atomic UPDATE, so concurrent failures are all counted. Returns
    /// true when this failure locked the account. Whether lockout applies to the user
    /// (`lockoutEnabled`) is the caller's decision, as in ASP.NET's SignInManager.
    func recordFailedSignIn(userId: String, maxFailures: Int, lockoutUntil: Date) throws -> Bool

    /// After a successful sign-in: count 0, no lockout.
    func resetFailedSignIns(userId: String) throws

    /// Replaces the hash with a stronger one of the same password (re-hash at sign-in); the
    /// security stamp is kept, so the user's other sign-ins go on.
    func updatePasswordHash(userId: String, hash: String) throws

    /// A new password: new hash and new security stamp, which ends every other sign-in.
    func changePassword(userId: String, hash: String, newSecurityStamp: String) throws

    /// After a verified code: stores the E.164 number, marks it confirmed and sets a new stamp.
    func confirmPhoneNumber(userId: String, phoneNumber: String, newSecurityStamp: String) throws

    /// Sets `TwoFactorEnabled`.
    func setTwoFactorEnabled(userId: String, enabled: Bool) throws

    /// A new security stamp alone: ends every sign-in, link, code and remembered browser bound
    /// to the old one.
    func updateSecurityStamp(userId: String, newSecurityStamp: String) throws

    /// Removes the phone: `PhoneNumber` NULL, `PhoneNumberConfirmed` 0, `TwoFactorEnabled` 0
    /// (two-factor sign-in needs the phone) and a new security stamp, in one UPDATE.
    func removePhoneNumber(userId: String, newSecurityStamp: String) throws

    /// A forgotten password replaced: new hash, new security stamp, and no lockout (count 0,
    /// `LockoutEnd` NULL), in one UPDATE. `TwoFactorEnabled` is left as it is.
    func resetPassword(userId: String, hash: String, newSecurityStamp: String) throws

    /// Deletes the user's row (`DELETE FROM "AspNetUsers" WHERE "Id" = ?`); rows tied to it by
    /// foreign keys (sessions, pending codes, recovery codes) go with it. Returns whether a row
    /// was deleted. Security events stay: they hold the id, never the email or the name.
    func delete(userId: String) throws -> Bool
}
