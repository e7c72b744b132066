import Config
import Phone
import FoundationEssentials
import Storage
import Timekeeping
import Web
#if canImport(Glibc)
import Glibc
#endif

/// `countersign events` and `countersign number …`: what an operator reads and decides, through
/// the storage protocols, so they work on every storage provider.
enum OperatorCommands {
    /// Prints the security events as JSON Lines, oldest first. `since` is a duration back from
    /// now (`1h`, `30m`, `7d`); `user` an email address.
    static func events(configPath: String, environment: [String: String], since: String?, user: String?) throws -> Int32 {
        var from: Date?
        if let since {
            guard let back = Config.parseDuration(since) else {
                CountersignCommand.printError("countersign: --since needs a duration such as 30m, 1h or 7d")
                return 2
            }
            from = Date().addingTimeInterval(-back)
        }
        let services = try Commands.loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        var userId: String?
        if let user {
            guard let found = try services.storage.users.user(normalizedEmail: EmailAddress.normalize(user)) else {
                CountersignCommand.printError("countersign: no user with the address \(user)")
                return 1
            }
            userId = found.id
        }
        var out = ""
        for event in try services.storage.events.events(since: from, userId: userId) {
            out += line(event) + "\n"
            if out.utf8.count > 64 * 1024 {
                print(out, terminator: "")
                out = ""
            }
        }
        print(out, terminator: "")
        return 0
    }

    /// One event as a JSON object: time (UTC, ISO 8601), kind, user id, client address, number
    /// (region and last two digits) and detail; absent fields are null.
    static func line(_ event: SecurityEvent) -> String {
        func value(_ text: String?) -> String { text.map(JSONText.string) ?? "null" }
        // Events written before numbers were masked hold the whole E.164 number: mask it here too.
        let phone = event.phoneNumber.map { $0.hasPrefix("+") ? EventNumber.mask($0) : $0 }
        return "{\"time\": \(JSONText.string(iso8601(event.time))), \"kind\": \(JSONText.string(event.kind)), "
            + "\"user_id\": \(value(event.userId)), \"client\": \(value(event.ipAddress)), "
            + "\"phone\": \(value(phone)), \"detail\": \(value(event.detail))}"
    }

    /// `number block +E164 [--until 30d]`, `number unblock +E164`, `number list`.
    static func number(configPath: String, environment: [String: String], arguments: [String], until: String?) throws -> Int32 {
        let usage = "countersign: usage: countersign number block +E164 [--until 30d] | number unblock +E164 | number list"
        guard let action = arguments.first, ["block", "unblock", "list"].contains(action),
              arguments.count == (action == "list" ? 1 : 2), until == nil || action == "block" else {
            CountersignCommand.printError(usage)
            return 2
        }
        var number = ""
        if action != "list" {
            guard let e164 = e164(arguments[1]) else {
                CountersignCommand.printError("countersign: \(arguments[1]) is not a number in E.164 form, e.g. +12015550123")
                return 2
            }
            number = e164
        }
        var end: TimeInterval?
        if let until {
            guard let seconds = Config.parseDuration(until), seconds > 0 else {
                CountersignCommand.printError("countersign: --until needs a duration such as 12h or 30d")
                return 2
            }
            end = seconds
        }
        let services = try Commands.loadServices(configPath: configPath, environment: environment)
        try services.storage.migrate()
        let store = services.storage.blockedNumbers
        let now = services.clock.now
        switch action {
        case "block":
            let block = BlockedNumber(phoneNumber: number, blockedAt: now, until: end.map { now.addingTimeInterval($0) })
            try store.block(block)
            try services.storage.events.append(SecurityEvent(time: now, kind: "number-blocked", phoneNumber: EventNumber.mask(number),
                                                             detail: block.until.map { "until \(iso8601($0))" } ?? "until unblocked"))
            print("countersign: \(number) blocked \(block.until.map { "until \(iso8601($0))" } ?? "until unblocked")")
        case "unblock":
            let removed = try store.unblock(phoneNumber: number)
            guard removed else {
                print("countersign: \(number) was not blocked")
                return 1
            }
            try services.storage.events.append(SecurityEvent(time: now, kind: "number-unblocked", phoneNumber: EventNumber.mask(number)))
            print("countersign: \(number) unblocked")
        default:
            for block in try store.blocked(now: now) {
                print("\(block.phoneNumber)\tblocked \(iso8601(block.blockedAt))\t\(block.until.map { "until \(iso8601($0))" } ?? "until unblocked")")
            }
        }
        return 0
    }

    /// `+` and 7 to 15 digits, spaces, dots and hyphens ignored. Not checked against the
    /// numbering plan or `phone.allowed_regions`: an operator may block any number.
    static func e164(_ text: String) -> String? {
        let kept = text.filter { $0 != " " && $0 != "-" && $0 != "." }
        guard kept.first == "+" else { return nil }
        let digits = kept.dropFirst()
        guard (7...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" else { return nil }
        return kept
    }

    /// `2026-11-26T12:00:00Z`.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))Z"
    }
}
