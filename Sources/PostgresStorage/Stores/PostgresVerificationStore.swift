import FoundationEssentials
import Storage

/// `VerificationStore` on `countersign_phone_verifications`. `pending` locks the user's row in
/// `"AspNetUsers"` (`FOR UPDATE OF`): inside a transaction it stays locked until the end, so a
/// second worker sending or checking a code for the same user waits, then sees the first one's
/// outcome (the row gone, its attempt or send counted) — the guarantee SQLite's single writer
/// gives. The user's row, not the verification's, because before the first send there is no
/// verification row to lock and two first sends would both start from nothing. Outside a
/// transaction there is nothing to hold, and no lock is taken.
public final class PostgresVerificationStore: VerificationStore {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func pending(userId: String, purpose: VerificationPurpose) throws -> PendingVerification? {
        if connection.isInTransaction {
            // Lock first, read after, in two statements: at READ COMMITTED the read then takes a
            // snapshot from after the lock was granted, so it sees what the previous holder
            // committed. (One statement joining both would re-check only the locked row.)
            try connection.run(#"SELECT 1 FROM "AspNetUsers" WHERE "Id" = $1 FOR UPDATE"#, [userId])
        }
        return try connection.queryFirst("""
            SELECT user_id, phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at
            FROM countersign_phone_verifications WHERE user_id = $1 AND purpose = $2
            """, [userId, purpose.rawValue]) { row in
            PendingVerification(
                userId: row.string(at: 0), phoneNumber: row.string(at: 1),
                codeHash: row.isNull(at: 2) ? nil : row.bytes(at: 2),
                expiresAt: row.date(at: 3), attempts: row.int(at: 4), sends: row.int(at: 5),
                lastSentAt: row.date(at: 6), createdAt: row.date(at: 7), purpose: purpose)
        }
    }

    public func save(_ pending: PendingVerification) throws {
        do {
            try connection.run("""
                INSERT INTO countersign_phone_verifications
                    (user_id, phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at, purpose)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (user_id, purpose) DO UPDATE SET
                    phone_number = excluded.phone_number, code_hash = excluded.code_hash,
                    expires_at = excluded.expires_at, attempts = excluded.attempts, sends = excluded.sends,
                    last_sent_at = excluded.last_sent_at, created_at = excluded.created_at
                """, [pending.userId, pending.phoneNumber, pending.codeHash, pending.expiresAt, pending.attempts,
                      pending.sends, pending.lastSentAt, pending.createdAt, pending.purpose.rawValue])
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw StorageError.userNotFound
        }
    }

    public func recordWrongAttempt(userId: String, purpose: VerificationPurpose) throws -> Int? {
        try connection.queryFirst("""
            UPDATE countersign_phone_verifications SET attempts = attempts + 1 WHERE user_id = $1 AND purpose = $2
            RETURNING attempts
            """, [userId, purpose.rawValue]) { $0.int(at: 0) }
    }

    @discardableResult
    public func delete(userId: String, purpose: VerificationPurpose) throws -> Bool {
        try connection.run("DELETE FROM countersign_phone_verifications WHERE user_id = $1 AND purpose = $2",
                           [userId, purpose.rawValue]) > 0
    }

    @discardableResult
    public func deleteForgotten(now: Date) throws -> Int {
        try connection.run("DELETE FROM countersign_phone_verifications WHERE expires_at <= $1",
                           [now.addingTimeInterval(-PendingVerification.countMemory)])
    }
}
