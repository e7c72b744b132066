public import Crypto
import FoundationEssentials
public import Messaging
public import Storage
public import Timekeeping

/// The one-time-code rules of CONTRACT.md §6 for every `tokens.provider`, with all state in
/// shared storage (never in a worker's memory), so any worker process can serve any step.
///
/// - Sending: first the SMS guards (`SmsGuards`: block list, wrong codes in 24 h, conversion),
///   which count nothing; then the cooldown, the hourly limits per user, number, client, region
///   and number range, and the rolling 24-hour limit are taken together and atomically (`consumeAll`)
///   before the provider is called; if the provider then fails they are given back (`release`),
///   and the code pending before, if any, stays valid. Holding the database's write lock across
///   the provider's network call instead would stall every worker for as long as the provider
///   takes, and checking first and counting afterwards would let parallel requests overshoot.
/// - A new send replaces the pending code (new code, expiry and possibly number) but keeps the
///   count of wrong attempts. After `tokens.max_attempts` wrong codes the pending verification
///   is deleted (burned); the next send starts a new count. So each send buys at most
///   `max_attempts` guesses: at most `max_attempts × max_sends_per_hour` per number (and per
///   user) per hour.
/// - Verifying runs in one storage transaction (`StorageBackend.transaction`, which holds the
///   user's pending code until it ends): load, expiry, constant-time compare,
///   then either count the wrong attempt (and burn at the limit) or delete the pending row and
///   confirm the number with a new security stamp, together. Of parallel requests with the right
///   code, across processes, exactly one succeeds. A remote provider (`twilio-verify`) is asked
///   before the transaction, which then checks the pending row is still there.
public final class PhoneVerifier {
    public let settings: PhoneVerificationSettings
    private let issuer: any CodeIssuer
    private let store: any VerificationStore
    private let storage: any StorageBackend
    private let sms: any SmsSender
    private let parser: PhoneNumberParser
    private let clock: any WallClock
    private let random: any RandomSource

    /// - Parameters:
    ///   - issuer: the `tokens.provider` (`CodeIssuers.make`).
    ///   - store: pending verifications on the same connection as `storage` (their writes must
    ///     share its transactions), `storage.verifications`.
    ///   - storage: users, rate limits, the event log and transactions.
    ///   - sms: the `sms.provider` sender, for `sendTestMessage`.
    ///   - parser: checks the pending number again before a resend, so a tightened
    ///     `phone.allowed_regions` also applies to numbers given earlier.
    ///   - random: makes the new security stamp of a verified user.
    public init(settings: PhoneVerificationSettings, issuer: any CodeIssuer, store: any VerificationStore,
                storage: any StorageBackend, sms: any SmsSender, parser: PhoneNumberParser, clock: any WallClock,
                random: any RandomSource) {
        self.settings = settings
        self.issuer = issuer
        self.store = store
        self.storage = storage
        self.sms = sms
        self.parser = parser
        self.clock = clock
        self.random = random
    }

    /// The user's pending verification, expired or not (the VerifyPhoneNumber page says which
    /// number, and offers a resend); nil when there is none.
    public func pending(userId: String, purpose: VerificationPurpose = .phoneNumber) throws -> PendingVerification? {
        try store.pending(userId: userId, purpose: purpose)
    }

    /// Sends a code to `number` (SendPhoneVerificationCode). With a verification pending, this
    /// is a resend: the count of wrong attempts is kept, even when the number changes.
    @discardableResult
    public func send(to number: PhoneNumber, user: UserRecord, clientAddress: String,
                     purpose: VerificationPurpose = .phoneNumber) throws(PhoneVerificationError) -> PendingVerification {
        try deliver(to: number, user: user, clientAddress: clientAddress, purpose: purpose)
    }

    /// Sends a new code to the pending number (ResendPhoneVerificationCode).
    @discardableResult
    public func resend(user: UserRecord, clientAddress: String, purpose: VerificationPurpose = .phoneNumber)
        throws(PhoneVerificationError) -> PendingVerification {
        let pending: PendingVerification?
        do { pending = try store.pending(userId: user.id, purpose: purpose) } catch { throw .storage(error) }
        guard let pending else { throw .nothingPending }
        let number: PhoneNumber
        do { number = try parser.parse(pending.phoneNumber) } catch { throw .numberRefused(error) }
        return try deliver(to: number, user: user, clientAddress: clientAddress, purpose: purpose)
    }

    /// Checks `code` (VerifyPhoneNumber). Spaces and hyphens in it are ignored; callers refuse
    /// an empty field before calling, as a wrong code counts as an attempt.
    ///
    /// - Parameters:
    ///   - purpose: which pending code is checked. Only `.phoneNumber` confirms the number (and
    ///     changes the security stamp); other purposes just spend the code.
    ///   - onRight: runs inside the same transaction as the code's deletion when the code is
    ///     right (e.g. the new password of a reset), so of parallel requests with the right
    ///     code exactly one does it; when it throws, the code is not spent.
    /// - Returns: the verified number, E.164; for `.phoneNumber` now the user's confirmed
    ///   `PhoneNumber`, and the user's security stamp has changed, which ends their other sign-ins.
    @discardableResult
    public func verify(code typed: String, user: UserRecord, clientAddress: String,
                       purpose: VerificationPurpose = .phoneNumber,
                       onRight: (PendingVerification) throws -> Void = { _ in }) throws(PhoneVerificationError) -> String {
        let code = String(typed.unicodeScalars.filter { $0 != " " && $0 != "-" && $0 != "\t" })
        let now = clock.now
        var remote: (phoneNumber: String, answer: CodeCheck)?
        if issuer.checksRemotely {
            // No write lock may be held across a network call: ask first, apply the answer below.
            let pending: PendingVerification?
            do { pending = try store.pending(userId: user.id, purpose: purpose) } catch { throw .storage(error) }
            guard let pending else { throw .nothingPending }
            guard !pending.isExpired(at: now) else { throw .expired }
            do {
                remote = (pending.phoneNumber, try issuer.check(code, against: pending, for: user, now: now))
            } catch {
                throw .checkFailed(error)
            }
        }
        let outcome: VerifyOutcome
        do {
            outcome = try storage.transaction { () throws -> VerifyOutcome in
                guard let pending = try store.pending(userId: user.id, purpose: purpose),
                      let current = try storage.users.user(id: user.id) else { return .nothingPending }
                if let remote, remote.phoneNumber != pending.phoneNumber { return .nothingPending }
                guard !pending.isExpired(at: now) else { return .expired }
                let answer = try remote?.answer ?? issuer.check(code, against: pending, for: current, now: now)
                return try apply(answer, to: pending, now: now, clientAddress: clientAddress, onRight: onRight)
            }
        } catch {
            throw .storage(error)
        }
        switch outcome {
        case .verified(let number): return number
        case .wrong(let attemptsLeft): throw .wrongCode(attemptsLeft: attemptsLeft)
        case .burned: throw .burned
        case .expired: throw .expired
        case .nothingPending: throw .nothingPending
        }
    }

    /// `countersign send-test-sms`: one message through `sms.provider`, counted toward (and
    /// refused beyond) `sms.daily_limit` like every code.
    @discardableResult
    public func sendTestMessage(to number: PhoneNumber) throws(PhoneVerificationError) -> SmsReceipt {
        let now = clock.now
        let limits = SendLimits(dailyLimit: settings.dailyLimit)
        let testEvent = SecurityEvent(time: now, kind: "", phoneNumber: number.e164)
        // The block list holds for every SMS, test messages included.
        let blocked: Bool
        do { blocked = try storage.blockedNumbers.isBlocked(phoneNumber: number.e164, now: now) } catch { throw .storage(error) }
        if blocked {
            try? record(.limitHit, testEvent, detail: "\(LimitReason.blockedNumber.rawValue): blocked by the operator")
            throw .limited(retryAt: now + SendLimits.hour, reason: .blockedNumber)
        }
        try take(limits, now: now, event: testEvent)
        let body = "This is a test message from \(settings.appName). Text messages from this installation work."
        do {
            let receipt = try sms.send(SmsMessage(to: number.e164, body: body))
            try? record(.testMessageSent, SecurityEvent(time: now, kind: "", phoneNumber: number.e164,
                                                        detail: "provider \(receipt.provider)"))
            return receipt
        } catch {
            try? storage.rateLimits.release(limits.rateLimits, at: now)
            try? record(.sendFailed, SecurityEvent(time: now, kind: "", phoneNumber: number.e164, detail: error.description))
            throw .sendFailed(error)
        }
    }

    /// Drops the user's pending code of `purpose`, if any (the phone was removed).
    public func cancel(userId: String, purpose: VerificationPurpose) throws {
        try store.delete(userId: userId, purpose: purpose)
    }

    /// Deletes verifications nobody can continue any more (`PendingVerification.forgottenAt`).
    /// Maintenance only; correctness never depends on it.
    @discardableResult
    public func deleteForgottenVerifications() throws -> Int {
        try store.deleteForgotten(now: clock.now)
    }

    // MARK: Sending

    private func deliver(to number: PhoneNumber, user: UserRecord, clientAddress: String, purpose: VerificationPurpose)
        throws(PhoneVerificationError) -> PendingVerification {
        let now = clock.now
        let phoneNumber = number.e164
        let event = SecurityEvent(time: now, kind: "", userId: user.id, ipAddress: clientAddress, phoneNumber: phoneNumber)
        try checkGuards(userId: user.id, phoneNumber: phoneNumber, region: number.region, now: now, event: event)
        let limits = SendLimits(settings: settings, userId: user.id, phoneNumber: phoneNumber, region: number.region,
                                clientAddress: clientAddress)
        try take(limits, now: now, event: event)

        let codeHash: [UInt8]?
        do {
            codeHash = try issuer.issue(to: phoneNumber, for: user, purpose: purpose, now: now)
        } catch {
            // Not sent, so not counted; the pending code, if any, is left as it was.
            try? storage.rateLimits.release(limits.rateLimits, at: now)
            try? record(.sendFailed, event, detail: error.description)
            throw .sendFailed(error)
        }

        do {
            return try storage.transaction { () throws -> PendingVerification in
                // Read again under the write lock: wrong attempts made while the message was on
                // its way are kept.
                let previous = try store.pending(userId: user.id, purpose: purpose)
                let continued = previous.flatMap { now < $0.forgottenAt ? $0 : nil }
                let pending = PendingVerification(
                    userId: user.id, phoneNumber: phoneNumber, codeHash: codeHash,
                    expiresAt: now.addingTimeInterval(settings.codeLifetime),
                    attempts: continued?.attempts ?? 0, sends: (continued?.sends ?? 0) + 1,
                    lastSentAt: now, createdAt: continued?.createdAt ?? now, purpose: purpose)
                try store.save(pending)
                if let previous, previous.phoneNumber != phoneNumber {
                    try record(.numberChanged, event, detail: "previous number \(EventNumber.mask(previous.phoneNumber))")
                }
                try record(.codeSent, event, detail: "provider \(issuer.name), send \(pending.sends)\(Self.purposeNote(purpose))")
                return pending
            }
        } catch {
            throw .storage(error)
        }
    }

    /// The SMS guards (block list, wrong codes over 24 hours, conversion), before anything is
    /// counted; a refusal is recorded as an event with its reason and thrown as `.limited`.
    private func checkGuards(userId: String?, phoneNumber: String, region: String, now: Date, event: SecurityEvent)
        throws(PhoneVerificationError) {
        let refusal: SmsGuards.Refusal?
        do {
            refusal = try guards.refusal(
                userId: userId, phoneNumber: phoneNumber, region: region, now: now) { reading in
                try? record(.conversionLow, event, detail: "monitor: \(reading.description), below \(settings.minConversion)")
            }
        } catch {
            throw .storage(error)
        }
        guard let refusal else { return }
        try? record(.limitHit, event, detail: "\(refusal.reason.rawValue): \(refusal.detail)")
        throw .limited(retryAt: refusal.retryAt, reason: refusal.reason)
    }

    /// Counts one send under every limit, or throws `.limited` (and logs it) counting nothing.
    private func take(_ limits: SendLimits, now: Date, event: SecurityEvent) throws(PhoneVerificationError) {
        let refusal: (retryAt: Date, reason: LimitReason)?
        do {
            refusal = try storage.rateLimits.consumeAll(limits.rateLimits, now: now).map { retryAt in
                (retryAt, try limits.reason(retryAt: retryAt, store: storage.rateLimits, now: now))
            }
        } catch {
            throw .storage(error)
        }
        guard let refusal else { return }
        try? record(.limitHit, event, detail: refusal.reason.rawValue)
        throw .limited(retryAt: refusal.retryAt, reason: refusal.reason)
    }

    // MARK: Verifying

    private enum VerifyOutcome {
        case verified(String)
        case wrong(attemptsLeft: Int)
        case burned
        case expired
        case nothingPending
    }

    /// Inside the verification's transaction: what the answer does to storage. Returns rather
    /// than throws, so the attempt count commits.
    private func apply(_ answer: CodeCheck, to pending: PendingVerification, now: Date, clientAddress: String,
                       onRight: (PendingVerification) throws -> Void) throws -> VerifyOutcome {
        let purpose = pending.purpose
        let event = SecurityEvent(time: now, kind: "", userId: pending.userId, ipAddress: clientAddress,
                                  phoneNumber: pending.phoneNumber)
        switch answer {
        case .right:
            // The delete decides: of parallel requests with the right code only one finds the row.
            guard try store.delete(userId: pending.userId, purpose: purpose) else { return .nothingPending }
            try guards.recordVerified(phoneNumber: pending.phoneNumber, now: now)
            if purpose == .phoneNumber {
                try storage.users.confirmPhoneNumber(userId: pending.userId, phoneNumber: pending.phoneNumber,
                                                     newSecurityStamp: SecurityStamp.generate(random: random))
            }
            try onRight(pending)
            try record(.verified, event, detail: "provider \(issuer.name)\(Self.purposeNote(purpose))")
            return .verified(pending.phoneNumber)
        case .wrong:
            let attempts = try store.recordWrongAttempt(userId: pending.userId, purpose: purpose) ?? settings.maxAttempts
            // The bound over days: the wrong code that reaches it also burns the pending code.
            if try guards.recordWrongCode(userId: pending.userId, phoneNumber: pending.phoneNumber, now: now) {
                try store.delete(userId: pending.userId, purpose: purpose)
                try record(.codeBurned, event, detail: "\(settings.maxWrongCodesPerDay) wrong codes in 24 hours")
                return .burned
            }
            guard attempts < settings.maxAttempts else {
                try store.delete(userId: pending.userId, purpose: purpose)
                try record(.codeBurned, event, detail: "\(attempts) wrong codes")
                return .burned
            }
            try record(.wrongCode, event, detail: "attempt \(attempts) of \(settings.maxAttempts)")
            return .wrong(attemptsLeft: settings.maxAttempts - attempts)
        case .burned:
            try store.delete(userId: pending.userId, purpose: purpose)
            try record(.codeBurned, event, detail: "the provider refuses further checks")
            return .burned
        case .expired:
            return .expired
        }
    }

    private var guards: SmsGuards { SmsGuards(settings: settings, storage: storage) }

    // MARK: Events

    /// Events of phone verification read as before; the others say what the code was for.
    private static func purposeNote(_ purpose: VerificationPurpose) -> String {
        purpose == .phoneNumber ? "" : ", for \(purpose.rawValue)"
    }

    private func record(_ kind: PhoneVerificationEventKind, _ event: SecurityEvent, detail: String? = nil) throws {
        var event = event
        event.kind = kind.rawValue
        if let detail { event.detail = detail }
        // Events keep the region and the last two digits, never the whole number (CONTRACT.md §8).
        event.phoneNumber = event.phoneNumber.map(EventNumber.mask)
        try storage.events.append(event)
    }
}
