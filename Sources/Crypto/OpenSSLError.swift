internal import COpenSSL

/// The message OpenSSL left on its thread-local error queue, for the few failures that can only
/// mean a broken process (no memory) and are reported by `precondition`.
enum OpenSSLError {
    /// Empties the queue and returns its oldest entry as text ("unknown error" when empty).
    static func lastMessage() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
