public import FoundationEssentials

/// One row of Countersign's storage as an engine-neutral record: what `countersign storage copy`
/// reads out of one engine and writes into another, so neither side's SQL leaves its module.
///
/// Rate-limit events are not rows here: they only count within windows of an hour or a day, a
/// store may keep them as counters per time bucket, and a moved site's limits start afresh.
public enum StorageRow: Sendable, Equatable {
    case user(UserRecord)
    /// When the user registered (`RegistrationLog`), for expiring unconfirmed accounts.
    case registration(userId: String, registeredAt: Date)
    case session(SessionRecord)
    case verification(PendingVerification)
    /// Every unused two-factor recovery code of one user, as keyed hashes.
    case recoveryCodes(userId: String, hashes: [String])
    case securityEvent(SecurityEvent)
    case blockedNumber(BlockedNumber)

    public var table: StorageTable {
        switch self {
        case .user: .users
        case .registration: .registrations
        case .session: .sessions
        case .verification: .verifications
        case .recoveryCodes: .recoveryCodes
        case .securityEvent: .securityEvents
        case .blockedNumber: .blockedNumbers
        }
    }

    /// How many rows of its table it stands for (recovery codes come a user's set at a time).
    public var rowCount: Int {
        if case .recoveryCodes(_, let hashes) = self { return hashes.count }
        return 1
    }
}

/// The kinds of rows a copy moves, in the order an export gives them (a user before every row
/// that names it), with the names the copy command prints.
public enum StorageTable: String, CaseIterable, Sendable {
    case users
    case registrations
    case sessions
    case verifications = "pending verifications"
    case recoveryCodes = "recovery codes"
    case securityEvents = "security events"
    case blockedNumbers = "blocked numbers"
}
