public import FoundationEssentials
public import Storage

/// `RegistrationLog` on `countersign_registrations` (Unix seconds), whose rows go with their
/// user.
public final class PostgresRegistrationLog: RegistrationLog {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func recordRegistration(userId: String, at date: Date) throws {
        do {
            try connection.run("""
                INSERT INTO countersign_registrations (user_id, registered_at) VALUES ($1, $2)
                ON CONFLICT (user_id) DO UPDATE SET registered_at = excluded.registered_at
                """, [userId, date])
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw StorageError.userNotFound
        }
    }

    @discardableResult
    public func deleteUnconfirmed(registeredBefore date: Date, normalizedEmail: String?) throws -> Int {
        // One statement: an account confirmed a moment ago by another worker is not deleted
        // (READ COMMITTED re-checks "EmailConfirmed" on the row it is about to delete).
        try connection.run("""
            DELETE FROM "AspNetUsers" WHERE "EmailConfirmed" = false
                AND ($1::text IS NULL OR "NormalizedEmail" = $1::text)
                AND "Id" IN (SELECT user_id FROM countersign_registrations WHERE registered_at <= $2)
            """, [normalizedEmail, date])
    }
}
