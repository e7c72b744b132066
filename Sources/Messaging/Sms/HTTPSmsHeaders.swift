/// `http_sms.headers`: extra request headers, one `Name: value` per line (`\n` in the config
/// value), typically `Authorization: Bearer ${SMS_TOKEN}`.
///
/// The values are secrets: no message here ever quotes one (a line is named by its number, a
/// header by its name only), and the sender masks them in anything it logs.
enum HTTPSmsHeaders {
    /// Headers that libcurl or `http_sms.content_type` set; a second source would be ambiguous or
    /// break the framing of the request.
    static let reserved: [String: String] = [
        "content-type": "set it with http_sms.content_type",
        "content-length": "it is computed from the body",
        "transfer-encoding": "it is computed from the body",
        "host": "it comes from http_sms.url",
        "connection": "the connection is managed by Countersign",
        "expect": "the connection is managed by Countersign",
    ]

    /// The headers in order, and what is wrong with the lines that are not usable.
    static func parse(_ text: String) -> (headers: [(name: String, value: String)], problems: [String]) {
        var headers: [(name: String, value: String)] = []
        var problems: [String] = []
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, scalars) in lines.enumerated() {
            let line = String(String.UnicodeScalarView(scalars))
            let number = index + 1
            // A secret read from a file or the environment may end in a newline: a blank line is
            // nothing, not an error.
            if line.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            guard let colon = line.unicodeScalars.firstIndex(of: ":") else {
                problems.append("line \(number) is not `Name: value`")
                continue
            }
            let name = String(line.unicodeScalars[..<colon])
            let value = trimmed(String(line.unicodeScalars[line.unicodeScalars.index(after: colon)...]))
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(isTokenScalar) else {
                problems.append("line \(number) is not `Name: value` (a header name is letters, digits and !#$%&'*+-.^_`|~)")
                continue
            }
            if let why = reserved[name.lowercased()] {
                problems.append("\(name) may not be set here: \(why)")
                continue
            }
            if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
                problems.append("the value of \(name) contains CR or LF")
                continue
            }
            if value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
                problems.append("the value of \(name) contains a control character")
                continue
            }
            if value.isEmpty {
                problems.append("the value of \(name) is empty")
                continue
            }
            headers.append((name, value))
        }
        return (headers, problems)
    }

    /// RFC 9110 `tchar`.
    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) { return true }
        return "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
    }

    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
