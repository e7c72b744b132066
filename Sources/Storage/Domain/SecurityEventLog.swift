/// An append-only audit trail: events are added, never changed or removed by the application.
public protocol SecurityEventLog: AnyObject {
    func append(_ event: SecurityEvent) throws

    /// The newest `limit` events, newest first; of one user, or of everyone when `userId` is nil.
    func events(userId: String?, limit: Int) throws -> [SecurityEvent]
}
