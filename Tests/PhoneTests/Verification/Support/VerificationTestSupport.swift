import Config
import Crypto
import Foundation
import Messaging
@testable import Phone
import SQLiteStorage
import Storage
import TestSupport
import Testing
import Timekeeping

/// The test epoch: 2026-11-26 12:00:00 UTC, whole seconds so REAL round trips are exact.
let testEpoch = Date(timeIntervalSince1970: 1_795_694_400)

let numberA = "+12015550123"
let numberB = "+12015550124"
let numberC = "+12015550125"
let testSecret = Array("a cookie secret of at least thirty-two bytes".utf8)

/// A config from INI text.
func makeConfig(_ text: String) -> Config {
    Config(text: text, file: "test.conf", environment: [:], directory: "/nonexistent")
}

func phone(_ e164: String) throws -> PhoneNumber {
    try PhoneNumberParser(defaultRegion: "US").parse(e164)
}

func makeUser(_ index: Int = 1, phoneNumber: String? = numberA) -> UserRecord {
    let id = String(format: "00000000-0000-4000-8000-%012d", index)
    let email = "user\(index)@example.com"
    return UserRecord(
        id: id, userName: email, normalizedUserName: email.uppercased(), email: email,
        normalizedEmail: email.uppercased(), emailConfirmed: true, passwordHash: "x",
        securityStamp: "STAMPSTAMPSTAMPSTAMPSTAMPSTAMP\(String(format: "%02d", index % 100))",
        concurrencyStamp: "00000000-0000-4000-8000-000000000000", phoneNumber: phoneNumber, firstName: "User \(index)")
}

/// An SMS provider that records what it is asked to send, and fails while told to.
final class RecordingSmsSender: SmsSender, @unchecked Sendable {
    let name = "recording"
    private let lock = NSLock()
    private var sentMessages: [SmsMessage] = []
    private var failure: SmsSendError?

    var sent: [SmsMessage] { lock.withLock { sentMessages } }

    func fail(with error: SmsSendError?) {
        lock.withLock { failure = error }
    }

    func send(_ message: SmsMessage) throws(SmsSendError) -> SmsReceipt {
        let failure = lock.withLock { self.failure }
        if let failure { throw failure }
        lock.withLock { sentMessages.append(message) }
        return SmsReceipt(provider: name, messageId: "id\(sent.count)")
    }

    /// The code in the last message: the digits after "#" on the WebOTP line.
    var lastCode: String? {
        guard let body = sent.last?.body, let hash = body.lastIndex(of: "#") else { return nil }
        return String(body[body.index(after: hash)...])
    }
}

let unavailable = SmsSendError(provider: "recording", kind: .unavailable, detail: "provider down")

/// A predictable stream of bytes (SplitMix64), so codes differ from send to send but every run
/// sees the same ones.
final class SeededRandom: RandomSource, @unchecked Sendable {
    private var state: UInt64
    init(seed: UInt64 = 42) { state = seed }

    func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }
}

/// Hands out the given byte strings in order, then zeros; records how many were asked for.
final class ScriptedRandom: RandomSource, @unchecked Sendable {
    private var script: [[UInt8]]
    private(set) var draws = 0
    init(_ script: [[UInt8]]) { self.script = script }

    func bytes(_ count: Int) -> [UInt8] {
        draws += 1
        guard !script.isEmpty else { return [UInt8](repeating: 0, count: count) }
        let next = script.removeFirst()
        precondition(next.count == count, "scripted \(next.count) bytes, asked for \(count)")
        return next
    }
}

/// Big-endian bytes of a UInt64, the way `uniform(below:)` reads them.
func bigEndianBytes(_ value: UInt64) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}

/// A fresh database of the engine under test (`TestDatabase`) with Countersign's schema and
/// users 1…`users`.
final class VerificationWorld {
    let database: TestDatabase
    let clock = ManualClock(testEpoch)
    let storage: any StorageBackend
    var store: any VerificationStore { storage.verifications }
    let sms = RecordingSmsSender()
    let random = SeededRandom()
    private(set) var users: [UserRecord] = []

    init(users count: Int = 2) throws {
        database = try TestDatabase(clock: clock)
        storage = try database.migratedStorage(random: random)
        for index in 1...count {
            let user = makeUser(index)
            try storage.users.insert(user)
            users.append(user)
        }
    }

    /// The user as stored now (stamp and phone change on verification).
    func user(_ index: Int = 1) throws -> UserRecord {
        try #require(try storage.users.user(id: users[index - 1].id))
    }

    func settings(_ extra: String = "") -> PhoneVerificationSettings {
        let config = makeConfig("[server]\napp_name = Countersign\n" + extra)
        let settings = PhoneVerificationSettings(config: config, webOtpHost: "example.com")
        precondition(config.problems.isEmpty, "bad test config: \(config.problems)")
        return settings
    }

    func storedIssuer(_ settings: PhoneVerificationSettings, random: (any RandomSource)? = nil) -> StoredCodeIssuer {
        StoredCodeIssuer(settings: settings, sms: sms, key: StoredCodeIssuer.key(fromCookieSecret: testSecret),
                         random: random ?? self.random)
    }

    /// A verifier on this world's storage, with the `stored` provider unless another is given.
    func verifier(_ settings: PhoneVerificationSettings? = nil, issuer: (any CodeIssuer)? = nil,
                  parser: PhoneNumberParser? = nil) throws -> PhoneVerifier {
        let settings = settings ?? self.settings()
        return PhoneVerifier(settings: settings, issuer: issuer ?? storedIssuer(settings), store: store, storage: storage,
                             sms: sms, parser: try parser ?? PhoneNumberParser(defaultRegion: "US"), clock: clock,
                             random: random)
    }

    func events(_ kind: PhoneVerificationEventKind) throws -> [SecurityEvent] {
        try storage.events.events(userId: nil, limit: 10_000).filter { $0.kind == kind.rawValue }
    }
}

extension PhoneVerificationError {
    var limitReason: LimitReason? {
        if case .limited(_, let reason) = self { return reason }
        return nil
    }

    var retryAt: Date? {
        if case .limited(let date, _) = self { return date }
        return nil
    }

    var attemptsLeft: Int? {
        if case .wrongCode(let left) = self { return left }
        return nil
    }

    var isNothingPending: Bool {
        if case .nothingPending = self { return true }
        return false
    }

    var isBurned: Bool {
        if case .burned = self { return true }
        return false
    }

    var isExpired: Bool {
        if case .expired = self { return true }
        return false
    }

    var isSendFailed: Bool {
        if case .sendFailed = self { return true }
        return false
    }
}
