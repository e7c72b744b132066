/// The `server.max_body` rule, shared by the FastCGI and CGI transports.
///
/// A body declared larger than the limit is not read at all; otherwise at most the declared
/// length is read, and never more than `maxBody + 1` bytes, the extra byte telling "too large"
/// apart from "exactly the limit" when the length was not declared. The transport only marks an
/// oversized request: the app answers 413 after the route and sign-in checks (CONTRACT.md §3).
enum RequestBodyReader {
    struct Body: Equatable {
        var bytes: [UInt8]
        var exceedsLimit: Bool
    }

    /// `CONTENT_LENGTH`; nil when absent or malformed (then the body is read up to the cap).
    static func declaredLength(_ parameters: [String: String]) -> Int? {
        declaredLength(contentLength: parameters["CONTENT_LENGTH"])
    }

    static func declaredLength(contentLength: String?) -> Int? {
        contentLength.flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Reads with `chunk`, which fills the buffer it is given and returns the byte count, 0 or
    /// less at the end of the stream.
    static func read(declaredLength: Int?, maxBody: Int, chunk: (UnsafeMutableRawBufferPointer) -> Int) -> Body {
        if declaredLength == 0 { return Body(bytes: [], exceedsLimit: false) }
        if let declaredLength, declaredLength > maxBody { return Body(bytes: [], exceedsLimit: true) }
        let cap = min(declaredLength ?? Int.max, maxBody + 1)
        var bytes = [UInt8]()
        // Uninitialised: only the bytes `chunk` reports are read back, and zeroing 16 KiB cost
        // more than the rest of a GET request's transport work.
        var buffer = [UInt8](unsafeUninitializedCapacity: 16 * 1024) { _, count in count = 16 * 1024 }
        while bytes.count < cap {
            let wanted = min(buffer.count, cap - bytes.count)
            let got = buffer.withUnsafeMutableBytes { chunk(UnsafeMutableRawBufferPointer(rebasing: $0[0..<wanted])) }
            if got <= 0 { break }
            bytes += buffer[0..<got]
        }
        return bytes.count > maxBody ? Body(bytes: [], exceedsLimit: true) : Body(bytes: bytes, exceedsLimit: false)
    }
}
