import Storage

/// `RecoveryCodeStore` on `countersign_recovery_codes`; rows go with their user (foreign key).
public final class SQLiteRecoveryCodeStore: RecoveryCodeStore {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func replaceAll(userId: String, hashes: [String]) throws {
        try connection.transaction {
            try connection.run("DELETE FROM countersign_recovery_codes WHERE user_id = ?", [userId])
            for hash in hashes {
                do {
                    try connection.run("INSERT INTO countersign_recovery_codes (user_id, code_hash) VALUES (?, ?)", [userId, hash])
                } catch let error as SQLiteError where error.code == .constraintForeignKey {
                    throw StorageError.userNotFound
                }
            }
        }
    }

    public func redeem(userId: String, hash: String) throws -> Bool {
        try connection.run("DELETE FROM countersign_recovery_codes WHERE user_id = ? AND code_hash = ?", [userId, hash]) == 1
    }

    public func count(userId: String) throws -> Int {
        try connection.queryFirst("SELECT COUNT(*) FROM countersign_recovery_codes WHERE user_id = ?", [userId]) { $0.int(at: 0) } ?? 0
    }

    public func deleteAll(userId: String) throws {
        try connection.run("DELETE FROM countersign_recovery_codes WHERE user_id = ?", [userId])
    }
}
