import FoundationEssentials

/// Where pending verifications live: one per user and purpose, shared by every worker.
///
/// Each method is one atomic statement. `PhoneVerifier` combines them with the user store
/// inside `StorageBackend.transaction`; there `pending(userId:)` also holds the user's row until
/// the transaction ends (a row lock on PostgreSQL, the single writer on SQLite), so exactly one
/// of several parallel right codes confirms the number and every wrong code is counted.
public protocol VerificationStore: AnyObject {
    func pending(userId: String, purpose: VerificationPurpose) throws -> PendingVerification?

    /// Inserts the user's pending verification of `pending.purpose`, or replaces the one there
    /// (one row per user and purpose even when two workers save at once). Throws
    /// `StorageError.userNotFound` when the user does not exist.
    func save(_ pending: PendingVerification) throws

    /// Counts one wrong code in one `UPDATE … RETURNING`, so parallel wrong codes are all
    /// counted; returns the new count, or nil when nothing is pending.
    func recordWrongAttempt(userId: String, purpose: VerificationPurpose) throws -> Int?

    /// Removes the user's pending verification; returns whether there was one (of two parallel
    /// deletes, one gets true).
    @discardableResult
    func delete(userId: String, purpose: VerificationPurpose) throws -> Bool

    /// Removes every verification forgotten before `now` (see `PendingVerification.forgottenAt`);
    /// returns how many. Maintenance only: a forgotten row left in place changes nothing.
    @discardableResult
    func deleteForgotten(now: Date) throws -> Int
}

extension VerificationStore {
    /// The phone-number verification (the purpose every caller meant before purposes existed).
    public func pending(userId: String) throws -> PendingVerification? {
        try pending(userId: userId, purpose: .phoneNumber)
    }

    public func recordWrongAttempt(userId: String) throws -> Int? {
        try recordWrongAttempt(userId: userId, purpose: .phoneNumber)
    }

    @discardableResult
    public func delete(userId: String) throws -> Bool {
        try delete(userId: userId, purpose: .phoneNumber)
    }
}
