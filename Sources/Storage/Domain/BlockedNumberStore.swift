public import FoundationEssentials

/// A number on the operator's deny list (`countersign number block`).
public struct BlockedNumber: Sendable, Equatable {
    /// E.164.
    public var phoneNumber: String
    public var blockedAt: Date
    /// The block ends at this instant; nil: until unblocked.
    public var until: Date?

    public init(phoneNumber: String, blockedAt: Date, until: Date?) {
        self.phoneNumber = phoneNumber
        self.blockedAt = blockedAt
        self.until = until
    }

    public func isActive(at now: Date) -> Bool {
        until.map { now < $0 } ?? true
    }
}

/// The operator's deny list of phone numbers: no SMS is ever sent to a number on it. Kept in shared
/// storage, so every worker of every pool obeys a block from the moment it is written.
///
/// Each method is one atomic statement; a block given twice replaces the first (new `until`).
public protocol BlockedNumberStore: AnyObject {
    /// Adds or replaces the block of `phoneNumber` (E.164).
    func block(_ block: BlockedNumber) throws

    /// Removes the block; returns whether there was one (expired ones included).
    @discardableResult
    func unblock(phoneNumber: String) throws -> Bool

    /// Whether a block of `phoneNumber` is in force at `now`. One indexed read per send.
    func isBlocked(phoneNumber: String, now: Date) throws -> Bool

    /// Every block still in force at `now`, oldest first.
    func blocked(now: Date) throws -> [BlockedNumber]
}
