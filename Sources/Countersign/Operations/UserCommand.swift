import FoundationEssentials
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// `countersign user show|unlock|sign-out|delete EMAIL --config FILE`: what an operator needs
/// to help a user without editing the database by hand. Exit 1 when there is no such user. Every
/// change is a security event ("operator-…", with the operator's uid in its detail).
enum UserCommand {
    static let actions = ["show", "unlock", "sign-out", "delete"]

    static func run(action: String, email: String, configPath: String, environment: [String: String]) throws -> Int32 {
        guard actions.contains(action) else {
            CountersignCommand.printError("countersign: unknown user action \(action) (one of: \(actions.joined(separator: ", ")))")
            return 2
        }
        let services = try Commands.loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        let storage = services.storage
        guard let user = try storage.users.user(normalizedEmail: EmailAddress.normalize(email)) else {
            CountersignCommand.printError("countersign: no user \(email)")
            return 1
        }
        let now = services.clock.now
        switch action {
        case "show":
            print(describe(user, now: now))
            return 0
        case "unlock":
            try storage.users.resetFailedSignIns(userId: user.id)
            try record("operator-unlocked", user: user, now: now, storage: storage)
            print("\(user.email): unlocked (failed sign-ins reset to 0)")
        case "sign-out":
            try storage.transaction {
                try storage.sessions.deleteAll(userId: user.id, except: nil)
                try record("operator-signed-out", user: user, now: now, storage: storage)
            }
            print("\(user.email): every sign-in ended")
        default: // delete
            try storage.transaction {
                _ = try storage.users.delete(userId: user.id)
                try record("operator-deleted", user: user, now: now, storage: storage)
            }
            print("\(user.email): deleted, with their sign-ins and pending codes (security events stay)")
        }
        return 0
    }

    /// Everything an operator may see: no password hash, no security or concurrency stamp.
    static func describe(_ user: UserRecord, now: Date) -> String {
        let name = [user.firstName, user.lastName ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        let phone = user.phoneNumber.map { "\($0) (\(user.phoneNumberConfirmed ? "verified" : "not verified"))" } ?? "none"
        var lockout = "not locked"
        if !user.lockoutEnabled {
            lockout = "lockout disabled for this user"
        } else if let end = user.lockoutEnd, end > now {
            lockout = "LOCKED until \(StatusCommand.iso8601(end))"
        }
        return [
            "id:               \(user.id)",
            "email:            \(user.email) (\(user.emailConfirmed ? "confirmed" : "NOT confirmed"))",
            "name:             \(name)",
            "phone:            \(phone)",
            "two-factor:       \(user.twoFactorEnabled ? "on" : "off")",
            "lockout:          \(lockout)",
            "failed sign-ins:  \(user.accessFailedCount)",
        ].joined(separator: "\n")
    }

    private static func record(_ kind: String, user: UserRecord, now: Date, storage: any StorageBackend) throws {
        try storage.events.append(SecurityEvent(time: now, kind: kind, userId: user.id, detail: "by countersign user command, uid \(getuid())"))
    }
}
