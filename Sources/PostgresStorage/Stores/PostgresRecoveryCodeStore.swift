import FoundationEssentials
import Storage

/// `RecoveryCodeStore` on `countersign_recovery_codes`; rows go with their user (foreign key).
/// `redeem` is one DELETE: of parallel requests with one code, exactly one deletes the row.
public final class PostgresRecoveryCodeStore: RecoveryCodeStore {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func replaceAll(userId: String, hashes: [String]) throws {
        try connection.transaction {
            try connection.run("DELETE FROM countersign_recovery_codes WHERE user_id = $1", [userId])
            for hash in hashes {
                do {
                    try connection.run("INSERT INTO countersign_recovery_codes (user_id, code_hash) VALUES ($1, $2)", [userId, hash])
                } catch let error as PostgresError where error.isForeignKeyViolation {
                    throw StorageError.userNotFound
                }
            }
        }
    }

    public func redeem(userId: String, hash: String) throws -> Bool {
        try connection.run("DELETE FROM countersign_recovery_codes WHERE user_id = $1 AND code_hash = $2", [userId, hash]) == 1
    }

    public func count(userId: String) throws -> Int {
        try connection.queryFirst("SELECT count(*) FROM countersign_recovery_codes WHERE user_id = $1", [userId]) { $0.int(at: 0) } ?? 0
    }

    public func deleteAll(userId: String) throws {
        try connection.run("DELETE FROM countersign_recovery_codes WHERE user_id = $1", [userId])
    }
}
