/// The `server.max_body` rule, shared by every transport: a body over the limit is 413 before it
/// is read, and a reader must still stop at the limit because `CONTENT_LENGTH` may lie.
public struct BodyLimit: Sendable {
    public let maxBytes: Int

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// The declared length, checked: 0 when absent or empty; 400 when not a plain decimal number;
    /// 413 when over the limit.
    public func declaredLength(_ contentLength: String?) throws(HTTPError) -> Int {
        guard let contentLength, !contentLength.isEmpty else { return 0 }
        guard contentLength.utf8.count <= 19, contentLength.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let length = Int(contentLength) else {
            throw .badRequest("Content-Length is not a number.")
        }
        guard length <= maxBytes else { throw .contentTooLarge }
        return length
    }

    /// For readers that count what actually arrives: 413 once more than the limit was read.
    public func check(receivedBytes: Int) throws(HTTPError) {
        guard receivedBytes <= maxBytes else { throw .contentTooLarge }
    }
}
