public import FoundationEssentials
public import Storage

/// `VerificationStore` on `countersign_phone_verifications`, on the storage's own connection (so
/// it joins the storage's transactions, whose write lock serialises every reader of a pending
/// row). Dates are REAL Unix seconds, as in every Countersign table.
public final class SQLiteVerificationStore: VerificationStore {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func pending(userId: String, purpose: VerificationPurpose) throws -> PendingVerification? {
        try connection.queryFirst("SELECT \(Self.columns) FROM countersign_phone_verifications WHERE user_id = ? AND purpose = ?",
                                  [userId, purpose.rawValue], Self.record)
    }

    static let columns = "user_id, phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at, purpose"

    /// Reads a row selected with `columns`.
    static func record(_ row: Statement) throws -> PendingVerification {
        let purposeText = row.string(at: 8)
        guard let purpose = VerificationPurpose(rawValue: purposeText) else {
            throw StorageError.malformedValue(table: "countersign_phone_verifications", column: "purpose", value: purposeText)
        }
        return PendingVerification(
            userId: row.string(at: 0),
            phoneNumber: row.string(at: 1),
            codeHash: row.isNull(at: 2) ? nil : row.bytes(at: 2),
            expiresAt: Date(timeIntervalSince1970: row.double(at: 3)),
            attempts: row.int(at: 4),
            sends: row.int(at: 5),
            lastSentAt: Date(timeIntervalSince1970: row.double(at: 6)),
            createdAt: Date(timeIntervalSince1970: row.double(at: 7)),
            purpose: purpose
        )
    }

    public func save(_ pending: PendingVerification) throws {
        do {
            try connection.run("""
                INSERT INTO countersign_phone_verifications
                    (user_id, phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at, purpose)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, purpose) DO UPDATE SET
                    phone_number = excluded.phone_number, code_hash = excluded.code_hash,
                    expires_at = excluded.expires_at, attempts = excluded.attempts, sends = excluded.sends,
                    last_sent_at = excluded.last_sent_at, created_at = excluded.created_at
                """, [pending.userId, pending.phoneNumber, pending.codeHash, pending.expiresAt.timeIntervalSince1970,
                      pending.attempts, pending.sends, pending.lastSentAt.timeIntervalSince1970,
                      pending.createdAt.timeIntervalSince1970, pending.purpose.rawValue])
        } catch let error as SQLiteError where error.code == .constraintForeignKey {
            throw StorageError.userNotFound
        }
    }

    public func recordWrongAttempt(userId: String, purpose: VerificationPurpose) throws -> Int? {
        try connection.query("""
            UPDATE countersign_phone_verifications SET attempts = attempts + 1 WHERE user_id = ? AND purpose = ?
            RETURNING attempts
            """, [userId, purpose.rawValue]) { $0.int(at: 0) }.first
    }

    @discardableResult
    public func delete(userId: String, purpose: VerificationPurpose) throws -> Bool {
        try connection.run("DELETE FROM countersign_phone_verifications WHERE user_id = ? AND purpose = ?",
                           [userId, purpose.rawValue]) > 0
    }

    @discardableResult
    public func deleteForgotten(now: Date) throws -> Int {
        try connection.run("DELETE FROM countersign_phone_verifications WHERE expires_at <= ?",
                           [now.addingTimeInterval(-PendingVerification.countMemory).timeIntervalSince1970])
    }
}
