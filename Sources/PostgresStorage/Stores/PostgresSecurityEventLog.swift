public import FoundationEssentials
public import Storage

/// `SecurityEventLog` on `countersign_security_events`, which a trigger keeps append-only.
public final class PostgresSecurityEventLog: SecurityEventLog {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func append(_ event: SecurityEvent) throws {
        try connection.run("""
            INSERT INTO countersign_security_events (time, kind, user_id, ip_address, phone_number, detail)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [event.time, event.kind, event.userId, event.ipAddress, event.phoneNumber, event.detail])
    }

    public func events(userId: String?, limit: Int) throws -> [SecurityEvent] {
        guard limit > 0 else { return [] }
        let select = "SELECT time, kind, user_id, ip_address, phone_number, detail FROM countersign_security_events"
        if let userId {
            return try connection.query("\(select) WHERE user_id = $1 ORDER BY id DESC LIMIT $2", [userId, limit], Self.event)
        }
        return try connection.query("\(select) ORDER BY id DESC LIMIT $1", [limit], Self.event)
    }

    public func events(since: Date?, userId: String?) throws -> [SecurityEvent] {
        let from = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let select = "SELECT time, kind, user_id, ip_address, phone_number, detail FROM countersign_security_events"
        if let userId {
            return try connection.query("\(select) WHERE user_id = $1 AND time >= $2 ORDER BY id", [userId, from], Self.event)
        }
        return try connection.query("\(select) WHERE time >= $1 ORDER BY id", [from], Self.event)
    }

    private static func event(_ row: PostgresRow) -> SecurityEvent {
        SecurityEvent(time: row.date(at: 0), kind: row.string(at: 1), userId: row.optionalString(at: 2),
                      ipAddress: row.optionalString(at: 3), phoneNumber: row.optionalString(at: 4),
                      detail: row.optionalString(at: 5))
    }
}
