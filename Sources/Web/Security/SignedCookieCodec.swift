import Crypto
public import FoundationEssentials
public import Timekeeping

/// Seals small payloads into cookie values that any worker can verify and nobody can forge or
/// alter: flash messages, the antiforgery visitor id. Nothing is encrypted — payloads must not be
/// secret, only trustworthy.
///
/// A value is `KEYID.EXPIRY.PAYLOAD.MAC`: the key id (first 8 hex digits of SHA-256 of the
/// secret), the expiry in Unix seconds, the payload in base64url and an HMAC-SHA256 over all of
/// them plus the purpose, which is not in the value but must be named again to open it, so a value
/// sealed for one use is useless for another. The MAC key is derived from `cookies.secret`, so the
/// same secret can key other things without the MACs ever meaning the same.
///
/// Key rotation: values are sealed with the current secret; `cookies.previous_secrets` still open.
public struct SignedCookieCodec {
    struct Key {
        let id: String
        let secret: [UInt8]
        let macKey: [UInt8]

        init(secret: [UInt8]) {
            self.secret = secret
            id = String(Hex.encode(Digest.sha256(secret)).prefix(8))
            macKey = HMAC.sha256(Array("Countersign.SignedCookie.v1".utf8), key: secret)
        }
    }

    let current: Key
    let previous: [Key]
    let clock: any WallClock

    /// `secret` is `cookies.secret`, `previousSecrets` is `cookies.previous_secrets` (at least 32
    /// bytes each is checked by the config, not here).
    public init(secret: [UInt8], previousSecrets: [[UInt8]] = [], clock: any WallClock) {
        precondition(!secret.isEmpty, "the cookie secret is empty")
        current = Key(secret: secret)
        previous = previousSecrets.map(Key.init)
        self.clock = clock
    }

    /// Every key that may open a value: the current one first.
    var keys: [Key] { [current] + previous }

    public func seal(_ payload: [UInt8], purpose: String, expiresAt: Date) -> String {
        let expiry = String(Int64(expiresAt.timeIntervalSince1970.rounded(.down)))
        let mac = HMAC.sha256(Self.signedData(keyID: current.id, purpose: purpose, expiry: expiry, payload: payload),
                              key: current.macKey)
        return [current.id, expiry, Base64URL.encode(payload), Base64URL.encode(mac)].joined(separator: ".")
    }

    /// Seals for `lifetime` seconds from the clock's now.
    public func seal(_ payload: [UInt8], purpose: String, lifetime: TimeInterval) -> String {
        seal(payload, purpose: purpose, expiresAt: clock.now.addingTimeInterval(lifetime))
    }

    /// The payload, or nil when the value is malformed, tampered with, sealed for another purpose,
    /// sealed with a key we no longer know, or expired.
    public func open(_ value: String, purpose: String) -> [UInt8]? {
        openWithExpiry(value, purpose: purpose)?.payload
    }

    /// `open`, also telling when the value expires (so a holder can renew it in time).
    func openWithExpiry(_ value: String, purpose: String) -> (payload: [UInt8], expiresAt: Date)? {
        // Split on bytes: a Character walk over the cookie was a third of an /Auth request.
        let parts = Array(value.utf8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard parts.count == 4,
              let expirySeconds = Self.canonicalSeconds(Substring(parts[1])),
              let payload = Base64URL.decode(parts[2]),
              let mac = Base64URL.decode(parts[3]), mac.count == 32 else {
            return nil
        }
        let keyID = parts[0]
        let data = Self.signedData(keyID: keyID, purpose: purpose, expiry: parts[1], payload: payload)
        var verified = false
        for key in keys where key.id == keyID {
            verified = ConstantTime.equals(HMAC.sha256(data, key: key.macKey), mac) || verified
        }
        guard verified, clock.now.timeIntervalSince1970 < Double(expirySeconds) else { return nil }
        return (payload, Date(timeIntervalSince1970: Double(expirySeconds)))
    }

    /// Unambiguous: the key id has a fixed length, the purpose is length-prefixed, the expiry is
    /// digits only and the payload comes last.
    static func signedData(keyID: String, purpose: String, expiry: String, payload: [UInt8]) -> [UInt8] {
        Array("\(keyID)|\(purpose.utf8.count):\(purpose)|\(expiry)|".utf8) + payload
    }

    /// Decimal seconds without sign or leading zeros (one spelling per number).
    static func canonicalSeconds(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              text == "0" || text.first != "0" else {
            return nil
        }
        return Int64(text)
    }
}
