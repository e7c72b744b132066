public import FoundationEssentials
public import Storage

/// `RegistrationLog` on `countersign_registrations` (REAL Unix seconds), whose rows are deleted
/// with their user.
public final class SQLiteRegistrationLog: RegistrationLog {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func recordRegistration(userId: String, at date: Date) throws {
        do {
            try connection.run("""
                INSERT INTO countersign_registrations (user_id, registered_at) VALUES (?, ?)
                ON CONFLICT (user_id) DO UPDATE SET registered_at = excluded.registered_at
                """, [userId, date.timeIntervalSince1970])
        } catch let error as SQLiteError where error.code == .constraintForeignKey {
            throw StorageError.userNotFound
        }
    }

    @discardableResult
    public func deleteUnconfirmed(registeredBefore date: Date, normalizedEmail: String?) throws -> Int {
        // One statement: an account confirmed a moment ago by another worker is not deleted.
        try connection.run("""
            DELETE FROM "AspNetUsers" WHERE "EmailConfirmed" = 0
                AND (?1 IS NULL OR "NormalizedEmail" = ?1)
                AND "Id" IN (SELECT user_id FROM countersign_registrations WHERE registered_at <= ?2)
            """, [normalizedEmail, date.timeIntervalSince1970])
    }
}
