internal import CPwQuality

/// What a new password must satisfy, after NIST SP 800-63B §5.1.1.2: a minimum length, room for
/// long passphrases, no composition rules, and a refusal of passwords that are common (cracklib's
/// dictionary, through libpwquality) or built from the user's own name or address. cracklib also
/// refuses what it calls too simplistic (fewer than 5 different characters, long runs of
/// neighbouring letters like "abcdefgh") and palindromes are refused (see `PasswordQualityCodes`).
/// Only cracklib's first 256 bytes are examined.
///
/// If the dictionary cannot be read (cracklib-runtime missing, unreadable files), the dictionary
/// check is skipped rather than rejecting every password: length and user-input rules still
/// apply, and `dictionaryUnavailableReason` says why, for the start-up log.
public struct PasswordPolicy {
    public let minLength: Int
    public let maxLength: Int
    /// nil when the dictionary check works; otherwise the library's message.
    public let dictionaryUnavailableReason: String?

    private let dictionaryCheck: PasswordQualityCheck?
    private let userInputCheck: PasswordQualityCheck?

    /// Longest user-input word compared with the password (the library's comparison is quadratic).
    static let longestUserInput = 256

    /// `minLength` comes from the config key `passwords.min_length` (at least 1). Lengths count
    /// Unicode code points, as NIST asks; `maxLength` is raised to 64 (and to `minLength`) when
    /// lower, since long passphrases must always be allowed.
    public init(minLength: Int = 8, maxLength: Int = 1024) {
        self.init(minLength: minLength, maxLength: maxLength, dictionaryPath: nil)
    }

    /// `dictionaryPath`: cracklib's dictionary without extension, nil for the system default.
    init(minLength: Int, maxLength: Int, dictionaryPath: String?) {
        self.minLength = max(minLength, 1)
        self.maxLength = max(maxLength, 64, self.minLength)
        self.userInputCheck = try? PasswordQualityCheck(dictionaryCheck: false, userCheck: true)
        do {
            let check = try PasswordQualityCheck(dictionaryCheck: true, userCheck: false, dictionaryPath: dictionaryPath)
            // A random-looking password no dictionary contains: if cracklib still refuses it, the
            // refusal is about the dictionary itself ("error loading dictionary").
            if case let .failed(_, message) = check.check("vK7#qz!R3w@Lx9$T", user: nil) {
                self.dictionaryCheck = nil
                self.dictionaryUnavailableReason = message
            } else {
                self.dictionaryCheck = check
                self.dictionaryUnavailableReason = nil
            }
        } catch {
            self.dictionaryCheck = nil
            self.dictionaryUnavailableReason = error.message
        }
    }

    /// A message for the person choosing the password, or nil when it is acceptable.
    /// `userInputs` are the other fields of the form (names, email address): the password may not
    /// contain any of them, nor any of their words of 4 characters or more.
    public func problem(with password: String, userInputs: [String]) -> String? {
        // libpwquality takes C strings, which end at the first NUL: a password with control
        // characters would be checked only up to there. No keyboard types them anyway.
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return "Choose a different password: it contains control characters."
        }
        let length = password.unicodeScalars.count
        if length < minLength {
            return "Choose a longer password: use at least \(minLength) characters."
        }
        if length > maxLength {
            return "Choose a shorter password: use at most \(maxLength) characters."
        }
        // Without a dictionary the user-input check still reports palindromes.
        if let check = dictionaryCheck ?? userInputCheck, case let .failed(code, message) = check.check(password, user: nil) {
            switch code {
            case PasswordQualityCodes.dictionary:
                return "Choose a different password: \(Self.reason(fromDictionaryMessage: message))."
            case PasswordQualityCodes.palindrome:
                return "Choose a different password: it reads the same backwards."
            default:
                break
            }
        }
        if let userInputCheck {
            for word in Self.words(of: userInputs) {
                if case let .failed(code, _) = userInputCheck.check(password, user: word),
                   code == PasswordQualityCodes.userInput {
                    return "Choose a different password: it contains your name or email address."
                }
            }
        }
        return nil
    }

    /// cracklib's reason from libpwquality's message, e.g. "it is based on a dictionary word" from
    /// "The password fails the dictionary check - it is based on a dictionary word".
    static func reason(fromDictionaryMessage message: String) -> String {
        guard let dash = message.firstRange(of: " - ") else { return "it is too easy to guess" }
        return String(message[dash.upperBound...])
    }

    /// Each input whole, then its runs of letters and digits ("ann.lee@example.com" → "ann",
    /// "lee", "example", "com"), without repeats and without empty or overlong entries.
    static func words(of inputs: [String]) -> [String] {
        var seen = Set<String>()
        var words = [String]()
        func add(_ word: String) {
            let trimmed = word.trimmingWhitespace()
            guard !trimmed.isEmpty, trimmed.utf8.count <= longestUserInput, seen.insert(trimmed.lowercased()).inserted
            else { return }
            words.append(trimmed)
        }
        for input in inputs {
            add(input)
            for part in input.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                add(String(part))
            }
        }
        return words
    }
}

/// The libpwquality results `PasswordPolicy` acts on.
///
/// libpwquality runs its own rules before cracklib's, and one of them, the palindrome rule, cannot
/// be switched off: a palindrome never reaches the dictionary, so "aaaaaaaa" or "12344321" would
/// pass unseen. Such passwords are refused as well. The only other possible refusal, the
/// library's 6-byte floor, is ignored: length is PasswordPolicy's own rule (a minimum set below 6
/// lets such short passwords skip the dictionary).
enum PasswordQualityCodes {
    static let dictionary = Int32(PWQ_ERROR_CRACKLIB_CHECK)
    static let userInput = Int32(PWQ_ERROR_USER_CHECK)
    static let palindrome = Int32(PWQ_ERROR_PALINDROME)
}

private extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
