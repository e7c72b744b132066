internal import CPwQuality
import Synchronization

/// One libpwquality settings object (`pwquality_default_settings` … `pwquality_free_settings`),
/// configured so that only the checks `PasswordPolicy` wants can fail: no composition rules
/// (character classes, credits), no repeat or sequence limits, no GECOS lookup. What is left is
/// cracklib's dictionary check and/or the user-name check, each switched on by the caller.
///
/// The system file /etc/security/pwquality.conf is not read: an administrator's PAM policy for
/// shell accounts should not change what web users may choose.
final class PasswordQualityCheck {
    enum Outcome: Equatable {
        case passed
        /// The library's error code and its message from `pwquality_strerror`, e.g.
        /// `The password fails the dictionary check - it is based on a dictionary word`.
        case failed(code: Int32, message: String)
    }

    private let settings: OpaquePointer

    /// cracklib's `FascistCheck` keeps the open dictionary in process-wide statics (and closes it
    /// when another path is asked for), so two threads checking at once can crash or get "error
    /// loading dictionary". Workers are single-threaded; tests and tools may not be.
    private static let cracklib = Mutex(())

    /// `dictionaryPath` is cracklib's dictionary without extension; nil keeps the library default
    /// (Debian: /var/cache/cracklib/cracklib_dict, built by cracklib-runtime).
    init(dictionaryCheck: Bool, userCheck: Bool, dictionaryPath: String? = nil) throws(PasswordQualityError) {
        guard let settings = pwquality_default_settings() else {
            throw PasswordQualityError(message: "pwquality_default_settings failed (out of memory)")
        }
        self.settings = settings
        let values: [(setting: Int32, value: Int32)] = [
            (PWQ_SETTING_MIN_LENGTH, 6),  // the library's floor; PasswordPolicy counts length itself
            (PWQ_SETTING_DIG_CREDIT, 0), (PWQ_SETTING_UP_CREDIT, 0),
            (PWQ_SETTING_LOW_CREDIT, 0), (PWQ_SETTING_OTH_CREDIT, 0),
            (PWQ_SETTING_MIN_CLASS, 0), (PWQ_SETTING_MAX_REPEAT, 0),
            (PWQ_SETTING_MAX_CLASS_REPEAT, 0), (PWQ_SETTING_MAX_SEQUENCE, 0),
            (PWQ_SETTING_GECOS_CHECK, 0),
            (PWQ_SETTING_DICT_CHECK, dictionaryCheck ? 1 : 0),
            (PWQ_SETTING_USER_CHECK, userCheck ? 1 : 0),
            (PWQ_SETTING_USER_SUBSTR, 0),  // the whole user input, as given
        ]
        for (setting, value) in values {
            let code = pwquality_set_int_value(settings, setting, value)
            guard code == 0 else { throw PasswordQualityError(message: Self.message(for: code, auxiliary: nil)) }
        }
        if let dictionaryPath {
            let code = pwquality_set_str_value(settings, PWQ_SETTING_DICT_PATH, dictionaryPath)
            guard code == 0 else { throw PasswordQualityError(message: Self.message(for: code, auxiliary: nil)) }
        }
    }

    deinit {
        pwquality_free_settings(settings)
    }

    /// `pwquality_check` with no old password. `user` is compared (case-insensitively, also
    /// reversed) when the user check is on; words shorter than 4 bytes are ignored by the library.
    /// Text after a NUL character is not seen by the library.
    func check(_ password: String, user: String?) -> Outcome {
        var auxiliary: UnsafeMutableRawPointer? = nil
        let code: Int32 = Self.cracklib.withLock { _ in
            password.withCString { p in
                if let user {
                    user.withCString { u in pwquality_check(settings, p, nil, u, &auxiliary) }
                } else {
                    pwquality_check(settings, p, nil, nil, &auxiliary)
                }
            }
        }
        guard code < 0 else { return .passed }
        // Always through pwquality_strerror: it releases what the library put in `auxiliary`.
        return .failed(code: code, message: Self.message(for: code, auxiliary: auxiliary))
    }

    private static func message(for code: Int32, auxiliary: UnsafeMutableRawPointer?) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PWQ_MAX_ERROR_MESSAGE_LEN))
        guard let text = pwquality_strerror(&buffer, buffer.count, code, auxiliary) else {
            return "libpwquality error \(code)"
        }
        return String(cString: text)
    }
}

/// libpwquality could not be set up; the message is the library's own.
struct PasswordQualityError: Error, Equatable {
    let message: String
}
