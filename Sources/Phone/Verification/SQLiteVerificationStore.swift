import FoundationEssentials
import Storage

/// `VerificationStore` on `countersign_phone_verifications` in Countersign's SQLite file, on the
/// storage's own connection (so it joins the storage's transactions). Dates are REAL Unix
/// seconds, as in every Countersign table.
public final class SQLiteVerificationStore: VerificationStore {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Adds this store's table to the storage's migrations; call before `migrate()`.
    public static func registerMigrations(on migrator: Migrator) {
        migrator.register("0100_phone_verifications", sql: """
            CREATE TABLE countersign_phone_verifications (
                user_id TEXT NOT NULL PRIMARY KEY REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
                phone_number TEXT NOT NULL,
                code_hash BLOB NULL,
                expires_at REAL NOT NULL,
                attempts INTEGER NOT NULL,
                sends INTEGER NOT NULL,
                last_sent_at REAL NOT NULL,
                created_at REAL NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX countersign_phone_verifications_expires_at ON countersign_phone_verifications (expires_at);
            """)
        // One pending code per user *and purpose* (phone verification, sign-in, password reset):
        // SQLite cannot change a primary key in place, so the table is rebuilt.
        migrator.register("0300_verification_purpose", sql: """
            CREATE TABLE countersign_phone_verifications_0300 (
                user_id TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
                purpose TEXT NOT NULL,
                phone_number TEXT NOT NULL,
                code_hash BLOB NULL,
                expires_at REAL NOT NULL,
                attempts INTEGER NOT NULL,
                sends INTEGER NOT NULL,
                last_sent_at REAL NOT NULL,
                created_at REAL NOT NULL,
                PRIMARY KEY (user_id, purpose)
            ) WITHOUT ROWID;
            INSERT INTO countersign_phone_verifications_0300
                (user_id, purpose, phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at)
                SELECT user_id, 'phone', phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at
                FROM countersign_phone_verifications;
            DROP TABLE countersign_phone_verifications;
            ALTER TABLE countersign_phone_verifications_0300 RENAME TO countersign_phone_verifications;
            CREATE INDEX countersign_phone_verifications_expires_at ON countersign_phone_verifications (expires_at);
            """)
    }

    public func pending(userId: String, purpose: VerificationPurpose) throws -> PendingVerification? {
        try connection.queryFirst("""
            SELECT user_id, phone_number, code_hash, expires_at, attempts, sends, last_sent_at, created_at, purpose
            FROM countersign_phone_verifications WHERE user_id = ? AND purpose = ?
            """, [userId, purpose.rawValue]) { row in
            PendingVerification(
                userId: row.string(at: 0),
                phoneNumber: row.string(at: 1),
                codeHash: row.isNull(at: 2) ? nil : row.bytes(at: 2),
                expiresAt: Date(timeIntervalSince1970: row.double(at: 3)),
                attempts: row.int(at: 4),
                sends: row.int(at: 5),
                lastSentAt: Date(timeIntervalSince1970: row.double(at: 6)),
                createdAt: Date(timeIntervalSince1970: row.double(at: 7)),
                purpose: VerificationPurpose(rawValue: row.string(at: 8)) ?? purpose
            )
        }
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
