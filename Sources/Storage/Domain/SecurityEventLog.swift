public import FoundationEssentials

/// An append-only audit trail: events are added, never changed or removed by the application.
/// Appends from many processes interleave; each event is one atomic insert and keeps its order
/// of insertion.
public protocol SecurityEventLog: AnyObject {
    func append(_ event: SecurityEvent) throws

    /// The newest `limit` events, newest first; of one user, or of everyone when `userId` is nil.
    func events(userId: String?, limit: Int) throws -> [SecurityEvent]

    /// Every event at or after `since` (all when nil), of one user or of everyone, oldest first
    /// (`countersign events`).
    func events(since: Date?, userId: String?) throws -> [SecurityEvent]
}
