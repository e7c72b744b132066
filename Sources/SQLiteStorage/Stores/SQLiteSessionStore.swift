import FoundationEssentials
import Storage

/// `SessionStore` on `countersign_sessions` (dates as REAL Unix seconds).
public final class SQLiteSessionStore: SessionStore {
    private let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func insert(_ session: SessionRecord) throws {
        do {
            try connection.run("""
                INSERT INTO countersign_sessions
                    (id_hash, user_id, security_stamp, created_at, last_seen_at, expires_at, persistent, client_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [session.idHash, session.userId, session.securityStamp, session.createdAt.timeIntervalSince1970,
                      session.lastSeenAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970, session.persistent,
                      session.clientAddress])
        } catch is SQLiteUniqueViolation {
            throw StorageError.duplicateSession
        } catch let error as SQLiteError where error.code == .constraintForeignKey {
            throw StorageError.userNotFound
        }
    }

    static let columns = "id_hash, user_id, security_stamp, created_at, last_seen_at, expires_at, persistent, client_address"

    public func session(idHash: String) throws -> SessionRecord? {
        try connection.queryFirst("SELECT \(Self.columns) FROM countersign_sessions WHERE id_hash = ?", [idHash], Self.record)
    }

    public func sessions(userId: String) throws -> [SessionRecord] {
        try connection.query("SELECT \(Self.columns) FROM countersign_sessions WHERE user_id = ? ORDER BY created_at",
                             [userId], Self.record)
    }

    static func record(_ row: Statement) -> SessionRecord {
        SessionRecord(
            idHash: row.string(at: 0),
            userId: row.string(at: 1),
            securityStamp: row.string(at: 2),
            createdAt: Date(timeIntervalSince1970: row.double(at: 3)),
            lastSeenAt: Date(timeIntervalSince1970: row.double(at: 4)),
            expiresAt: Date(timeIntervalSince1970: row.double(at: 5)),
            persistent: row.bool(at: 6),
            clientAddress: row.optionalString(at: 7)
        )
    }

    public func touch(idHash: String, at date: Date) throws {
        try connection.run("UPDATE countersign_sessions SET last_seen_at = ? WHERE id_hash = ?",
                           [date.timeIntervalSince1970, idHash])
    }

    public func delete(idHash: String) throws {
        try connection.run("DELETE FROM countersign_sessions WHERE id_hash = ?", [idHash])
    }

    public func deleteAll(userId: String, except idHash: String?) throws {
        if let idHash {
            try connection.run("DELETE FROM countersign_sessions WHERE user_id = ? AND id_hash <> ?", [userId, idHash])
        } else {
            try connection.run("DELETE FROM countersign_sessions WHERE user_id = ?", [userId])
        }
    }

    public func deleteExpired(now: Date, idleTimeout: TimeInterval) throws {
        let now = now.timeIntervalSince1970
        try connection.run("DELETE FROM countersign_sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                           [now, now - idleTimeout])
    }
}
