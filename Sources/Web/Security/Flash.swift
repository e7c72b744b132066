public import FoundationEssentials

/// A message to show once on the page after a redirect ("Your phone number is verified").
///
/// Only a key from the app's fixed catalogue travels — never text, never personal data — so the
/// cookie can be read by anyone without leaking anything, and the page text stays in templates.
public struct FlashMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case success, error, info

        var letter: Character {
            switch self {
            case .success: "s"
            case .error: "e"
            case .info: "i"
            }
        }
    }

    public let kind: Kind
    public let key: String

    /// `key` is a catalogue constant: 1 to 64 letters, digits, `_`, `-` or `.`. Anything else is
    /// a programming error (it would mean data, not a catalogue key, was about to travel).
    public init(_ kind: Kind, _ key: String) {
        precondition(Self.isKey(key), "flash key \(key) is not a catalogue key")
        self.kind = kind
        self.key = key
    }

    static func isKey(_ key: some StringProtocol) -> Bool {
        (1...64).contains(key.utf8.count) && key.utf8.allSatisfy { c in
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}

/// Flash messages carried in a signed cookie, so whichever worker serves the page after the
/// redirect can show them without shared storage.
///
/// The cookie is `__Host-Countersign.Flash` (`Countersign.Flash` when `cookies.secure = false`),
/// HttpOnly, SameSite=Lax, a browser-session cookie whose sealed value expires after `lifetime`.
/// Reading it clears it, so a message shows once.
public struct Flash {
    static let purpose = "flash"

    let codec: SignedCookieCodec
    public let secure: Bool
    public let lifetime: TimeInterval

    /// `secure` is `cookies.secure`.
    public init(codec: SignedCookieCodec, secure: Bool, lifetime: TimeInterval = 600) {
        self.codec = codec
        self.secure = secure
        self.lifetime = lifetime
    }

    public var cookieName: String {
        secure ? "__Host-Countersign.Flash" : "Countersign.Flash"
    }

    /// `s:Key` lines: small, and decodable without a JSON parser.
    public static func encode(_ messages: [FlashMessage]) -> [UInt8] {
        Array(messages.map { "\($0.kind.letter):\($0.key)" }.joined(separator: "\n").utf8)
    }

    /// nil when the bytes are not exactly what `encode` writes.
    public static func decode(_ bytes: [UInt8]) -> [FlashMessage]? {
        guard !bytes.isEmpty, let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var messages: [FlashMessage] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.count >= 3, line.dropFirst().first == ":",
                  let kind = FlashMessage.Kind.allCases.first(where: { $0.letter == line.first }),
                  FlashMessage.isKey(line.dropFirst(2)) else {
                return nil
            }
            messages.append(FlashMessage(kind, String(line.dropFirst(2))))
        }
        return messages
    }

    /// The `Set-Cookie` value that carries `messages` to the next page.
    public func cookie(_ messages: [FlashMessage]) -> String {
        let sealed = codec.seal(Self.encode(messages), purpose: Self.purpose, lifetime: lifetime)
        return SetCookie.ours(name: cookieName, value: sealed, secure: secure, sameSite: .lax).headerValue
    }

    /// The `Set-Cookie` value that removes the flash cookie.
    public func clearingCookie() -> String {
        SetCookie.oursDeleted(name: cookieName, secure: secure, sameSite: .lax).headerValue
    }

    /// The messages the request carries; empty when none, forged or expired.
    public func read(_ request: Request) -> [FlashMessage] {
        guard let value = request.cookie(cookieName),
              let payload = codec.open(value, purpose: Self.purpose) else { return [] }
        return Self.decode(payload) ?? []
    }

    /// Reads the messages and, when the request had a flash cookie at all (even an invalid one),
    /// adds its deletion to `response` so it is shown once.
    public func take(from request: Request, clearingIn response: inout Response) -> [FlashMessage] {
        guard request.cookie(cookieName) != nil else { return [] }
        response.addHeader("Set-Cookie", clearingCookie())
        return read(request)
    }

    /// Adds `messages` to a response (usually a 303).
    public func add(_ messages: [FlashMessage], to response: inout Response) {
        guard !messages.isEmpty else { return }
        response.addHeader("Set-Cookie", cookie(messages))
    }
}
