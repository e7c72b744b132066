import FoundationEssentials

/// Where pending verifications live: one per user and purpose, shared by every worker.
///
/// Each method is one atomic statement; `PhoneVerifier` combines them with the user store inside
/// the storage's transaction, so the store must use the same connection as the storage.
public protocol VerificationStore: AnyObject {
    func pending(userId: String, purpose: VerificationPurpose) throws -> PendingVerification?

    /// Inserts the user's pending verification of `pending.purpose`, or replaces the one there. Throws
    /// `StorageError.userNotFound` when the user does not exist.
    func save(_ pending: PendingVerification) throws

    /// Counts one wrong code; returns the new count, or nil when nothing is pending.
    func recordWrongAttempt(userId: String, purpose: VerificationPurpose) throws -> Int?

    /// Removes the user's pending verification; returns whether there was one.
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
