import Crypto
import FoundationEssentials
import Storage

/// `UserStore` on `"AspNetUsers"`. Every write is one statement, so it is atomic and row-locked
/// by PostgreSQL itself; `recordFailedSignIn` is one conditional `UPDATE … RETURNING`, which
/// READ COMMITTED re-evaluates on the newest row version, so concurrent failures all count.
public final class PostgresUserStore: UserStore {
    private let connection: PostgresConnection
    private let random: any RandomSource

    /// - Parameter random: makes the new `ConcurrencyStamp` GUID of every write.
    public init(connection: PostgresConnection, random: any RandomSource) {
        self.connection = connection
        self.random = random
    }

    /// `LockoutEnd` is read as Unix seconds, so no text format of timestamps is involved.
    static let columns = """
        "Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", \
        "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled", \
        extract(epoch from "LockoutEnd")::double precision, "LockoutEnabled", "AccessFailedCount", "FirstName", "LastName"
        """

    public func insert(_ user: UserRecord) throws {
        let arguments: PostgresArguments = [
            user.id, user.userName, user.normalizedUserName, user.email, user.normalizedEmail, user.emailConfirmed,
            user.passwordHash, user.securityStamp, user.concurrencyStamp, user.phoneNumber, user.phoneNumberConfirmed,
            user.twoFactorEnabled, user.lockoutEnd, user.lockoutEnabled, user.accessFailedCount, user.firstName, user.lastName,
        ]
        do {
            // In a savepoint when called inside a transaction, so a duplicate leaves it usable
            // for the look-up below (PostgreSQL aborts a transaction at its first error).
            try connection.transaction { try connection.run("""
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", \
                "EmailConfirmed", "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", \
                "TwoFactorEnabled", "LockoutEnd", "LockoutEnabled", "AccessFailedCount", "FirstName", "LastName")
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, to_timestamp($13), $14, $15, $16, $17)
                """, arguments) }
        } catch let violation as PostgresError where violation.isUniqueViolation {
            // The email is named first even when another index of the row fired (user name =
            // email in this application), since "address already registered" is the answer
            // the user can act on.
            if violation.constraint == "EmailIndex" { throw StorageError.duplicateEmail }
            if try self.user(normalizedEmail: user.normalizedEmail) != nil { throw StorageError.duplicateEmail }
            if violation.constraint == "UserNameIndex" { throw StorageError.duplicateUserName }
            throw StorageError.duplicateUserId
        }
    }

    public func user(id: String) throws -> UserRecord? {
        try connection.queryFirst("SELECT \(Self.columns) FROM \"AspNetUsers\" WHERE \"Id\" = $1", [id], Self.record)
    }

    public func user(normalizedEmail: String) throws -> UserRecord? {
        try connection.queryFirst("SELECT \(Self.columns) FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = $1",
                                  [normalizedEmail], Self.record)
    }

    public func markEmailConfirmed(userId: String) throws {
        try update(userId, #""EmailConfirmed" = true"#, [])
    }

    public func recordFailedSignIn(userId: String, maxFailures: Int, lockoutUntil: Date) throws -> Bool {
        precondition(maxFailures >= 1, "maxFailures must be at least 1")
        let counts = try connection.query("""
            UPDATE "AspNetUsers" SET
                "LockoutEnd" = CASE WHEN "AccessFailedCount" + 1 >= $1 THEN to_timestamp($2) ELSE "LockoutEnd" END,
                "AccessFailedCount" = CASE WHEN "AccessFailedCount" + 1 >= $1 THEN 0 ELSE "AccessFailedCount" + 1 END,
                "ConcurrencyStamp" = $3
            WHERE "Id" = $4
            RETURNING "AccessFailedCount"
            """, [maxFailures, lockoutUntil, newConcurrencyStamp(), userId]) { $0.int(at: 0) }
        guard let count = counts.first else { throw StorageError.userNotFound }
        return count == 0
    }

    public func resetFailedSignIns(userId: String) throws {
        try update(userId, #""AccessFailedCount" = 0, "LockoutEnd" = NULL"#, [])
    }

    public func updatePasswordHash(userId: String, hash: String) throws {
        try update(userId, #""PasswordHash" = $1"#, [hash])
    }

    public func changePassword(userId: String, hash: String, newSecurityStamp: String) throws {
        try update(userId, #""PasswordHash" = $1, "SecurityStamp" = $2"#, [hash, newSecurityStamp])
    }

    public func confirmPhoneNumber(userId: String, phoneNumber: String, newSecurityStamp: String) throws {
        try update(userId, #""PhoneNumber" = $1, "PhoneNumberConfirmed" = true, "SecurityStamp" = $2"#,
                   [phoneNumber, newSecurityStamp])
    }

    public func setTwoFactorEnabled(userId: String, enabled: Bool) throws {
        try update(userId, #""TwoFactorEnabled" = $1"#, [enabled])
    }

    public func updateSecurityStamp(userId: String, newSecurityStamp: String) throws {
        try update(userId, #""SecurityStamp" = $1"#, [newSecurityStamp])
    }

    public func removePhoneNumber(userId: String, newSecurityStamp: String) throws {
        try update(userId, #""PhoneNumber" = NULL, "PhoneNumberConfirmed" = false, "TwoFactorEnabled" = false, "SecurityStamp" = $1"#,
                   [newSecurityStamp])
    }

    public func resetPassword(userId: String, hash: String, newSecurityStamp: String) throws {
        try update(userId, #""PasswordHash" = $1, "SecurityStamp" = $2, "AccessFailedCount" = 0, "LockoutEnd" = NULL"#,
                   [hash, newSecurityStamp])
    }

    public func delete(userId: String) throws -> Bool {
        try connection.run(#"DELETE FROM "AspNetUsers" WHERE "Id" = $1"#, [userId]) == 1
    }

    /// One UPDATE of the user's row that also sets a new ConcurrencyStamp. `assignments` is
    /// fixed SQL from this file using `$1…$n` for `arguments`; the stamp and id follow them.
    private func update(_ userId: String, _ assignments: String, _ arguments: PostgresArguments) throws {
        let n = arguments.count
        let changed = try connection.run(
            "UPDATE \"AspNetUsers\" SET \(assignments), \"ConcurrencyStamp\" = $\(n + 1) WHERE \"Id\" = $\(n + 2)",
            arguments + [newConcurrencyStamp(), userId])
        guard changed == 1 else { throw StorageError.userNotFound }
    }

    private func newConcurrencyStamp() -> String {
        Guid.random(using: random)
    }

    static func record(_ row: PostgresRow) -> UserRecord {
        UserRecord(
            id: row.string(at: 0),
            userName: row.string(at: 1),
            normalizedUserName: row.string(at: 2),
            email: row.string(at: 3),
            normalizedEmail: row.string(at: 4),
            emailConfirmed: row.bool(at: 5),
            passwordHash: row.string(at: 6),
            securityStamp: row.string(at: 7),
            concurrencyStamp: row.string(at: 8),
            phoneNumber: row.optionalString(at: 9),
            phoneNumberConfirmed: row.bool(at: 10),
            twoFactorEnabled: row.bool(at: 11),
            lockoutEnd: row.optionalDouble(at: 12).map(Date.init(timeIntervalSince1970:)),
            lockoutEnabled: row.bool(at: 13),
            accessFailedCount: row.int(at: 14),
            firstName: row.string(at: 15),
            lastName: row.optionalString(at: 16)
        )
    }
}
