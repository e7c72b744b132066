import FoundationEssentials
import Storage
import Web

/// What is stored about a user, for the page and the JSON download: the user's columns except
/// `PasswordHash`, `SecurityStamp` and `ConcurrencyStamp` (secrets, not information about the
/// person), the sign-ins (start, last use, client address) and the security events.
struct PersonalDataExport {
    let user: UserRecord
    let sessions: [SessionRecord]
    let events: [SecurityEvent]
    let recoveryCodesLeft: Int

    init(user: UserRecord, services: Services, now: Date) throws {
        self.user = user
        let idle = services.settings.session.idleTimeout
        sessions = try services.storage.sessions.sessions(userId: user.id).filter {
            $0.securityStamp == user.securityStamp && $0.expiresAt > now && $0.lastSeenAt.addingTimeInterval(idle) > now
        }
        events = try services.storage.events.events(userId: user.id, limit: 1000).reversed()
        recoveryCodesLeft = try services.storage.recoveryCodes.count(userId: user.id)
    }

    /// The columns as `(name, value)`, in `AspNetUsers` order; nil values are JSON null.
    var columns: [(String, String?)] {
        [
            ("Id", user.id), ("UserName", user.userName), ("Email", user.email),
            ("EmailConfirmed", String(user.emailConfirmed)), ("PhoneNumber", user.phoneNumber),
            ("PhoneNumberConfirmed", String(user.phoneNumberConfirmed)), ("TwoFactorEnabled", String(user.twoFactorEnabled)),
            ("LockoutEnd", user.lockoutEnd.map(Self.iso)), ("LockoutEnabled", String(user.lockoutEnabled)),
            ("AccessFailedCount", String(user.accessFailedCount)), ("FirstName", user.firstName), ("LastName", user.lastName),
        ]
    }

    var json: String {
        func string(_ value: String?) -> String { value.map(JSONText.string) ?? "null" }
        let booleans: Set<String> = ["EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled"]
        let user = columns.map { name, value in
            let rendered = booleans.contains(name) || name == "AccessFailedCount" ? (value ?? "null") : string(value)
            return "    \(JSONText.string(name)): \(rendered)"
        }.joined(separator: ",\n")
        let signIns = sessions.map {
            "    {\"started\": \(string(Self.iso($0.createdAt))), \"lastUsed\": \(string(Self.iso($0.lastSeenAt))), \"clientAddress\": \(string($0.clientAddress)), \"persistent\": \($0.persistent)}"
        }.joined(separator: ",\n")
        let events = events.map {
            "    {\"time\": \(string(Self.iso($0.time))), \"kind\": \(string($0.kind)), \"clientAddress\": \(string($0.ipAddress)), \"phoneNumber\": \(string($0.phoneNumber)), \"detail\": \(string($0.detail))}"
        }.joined(separator: ",\n")
        return "{\n  \"user\": {\n\(user)\n  },\n  \"recoveryCodesLeft\": \(recoveryCodesLeft),\n  \"signIns\": [\n\(signIns)\n  ],\n  \"securityEvents\": [\n\(events)\n  ]\n}\n"
    }

    /// `2026-12-06T02:41:00Z`.
    static func iso(_ date: Date) -> String {
        let text = SecurityNotice.format(date)  // "2026-12-06 02:41 UTC"
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) % 60
        return text.prefix(10) + "T" + text.dropFirst(11).prefix(5) + ":" + (seconds < 10 ? "0\(seconds)" : "\(seconds)") + "Z"
    }
}
