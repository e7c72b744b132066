import Web

/// A `Response` in the CGI response format both CGI and FastCGI use: a `Status:` line, headers,
/// a blank line, the body.
enum CGIResponseEncoder {
    /// Written straight into one byte array sized up front (one allocation, no String
    /// concatenation), which the worker hands to a single `FCGX_PutStr`.
    static func encode(_ response: Response, includeBody: Bool) -> [UInt8] {
        let reason = Response.reasonPhrase(for: response.status)
        var size = 32 + reason.utf8.count + (includeBody ? response.body.count : 0)
        for (name, value) in response.headers { size += name.utf8.count + value.utf8.count + 4 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        bytes.append(contentsOf: "Status: ".utf8)
        bytes.append(contentsOf: String(response.status).utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: reason.utf8)
        bytes.append(contentsOf: [13, 10])
        for (name, value) in response.headers {
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            // A header value can never split the response: CR and LF bytes are dropped (bytes,
            // not Characters: "\r\n" is a single Character equal to neither).
            if value.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
                for byte in value.utf8 where byte != 13 && byte != 10 { bytes.append(byte) }
            } else {
                bytes.append(contentsOf: value.utf8)
            }
            bytes.append(contentsOf: [13, 10])
        }
        bytes.append(contentsOf: [13, 10])
        if includeBody { bytes.append(contentsOf: response.body) }
        return bytes
    }
}
