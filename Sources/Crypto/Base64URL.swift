/// Base64 with the URL- and cookie-safe alphabet (`-`, `_`) and no padding (RFC 4648 §5), for
/// cookie values and tokens that travel in links.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        UnpaddedBase64.encode(bytes, alphabet: .url)
    }

    /// nil for anything this encoder would not have written: `+`, `/`, `=`, white space or other
    /// characters, a length of 4n + 1, or non-zero bits after the last byte.
    public static func decode(_ text: String) -> [UInt8]? {
        UnpaddedBase64.decode(text, alphabet: .url)
    }
}
