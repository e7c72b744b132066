import Web

/// A `Response` in the CGI response format both CGI and FastCGI use: a `Status:` line, headers,
/// a blank line, the body.
enum CGIResponseEncoder {
    static func encode(_ response: Response, includeBody: Bool) -> [UInt8] {
        var head = "Status: \(response.status) \(Response.reasonPhrase(for: response.status))\r\n"
        for (name, value) in response.headers {
            // A header value can never split the response: CR and LF scalars are dropped (scalars,
            // not Characters: "\r\n" is a single Character equal to neither).
            let isLineBreak = { (byte: UInt8) in byte == 13 || byte == 10 }
            let safe = value.utf8.contains(where: isLineBreak)
                ? String(decoding: value.utf8.filter { !isLineBreak($0) }, as: UTF8.self)
                : value
            head += name + ": " + safe + "\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes += response.body }
        return bytes
    }
}
