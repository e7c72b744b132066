import Web

/// Turns CGI/FastCGI parameters (the same names in both) into a `Request`.
///
/// The route comes from `DOCUMENT_URI`, else `SCRIPT_NAME` + `PATH_INFO` — never from
/// `REQUEST_URI`, which inside an nginx `auth_request` subrequest is the original request's URI.
enum CGIEnvironment {
    static func request(parameters: [String: String], body: [UInt8], bodyExceedsLimit: Bool) -> Request {
        var headers = HTTPHeaders()
        // Sorted for a stable order (a dictionary's is random), after dropping the non-header
        // parameters, which are most of them.
        for (name, value) in parameters.filter({ $0.key.utf8.starts(with: "HTTP_".utf8) }).sorted(by: { $0.key < $1.key }) {
            headers.add(name: headerName(fromCGI: String(name.dropFirst(5))), value: value)
        }
        if let type = parameters["CONTENT_TYPE"], !type.isEmpty { headers.set(name: "Content-Type", value: type) }
        if let length = parameters["CONTENT_LENGTH"], !length.isEmpty { headers.set(name: "Content-Length", value: length) }

        let path: String
        if let document = parameters["DOCUMENT_URI"], !document.isEmpty {
            path = document
        } else {
            path = (parameters["SCRIPT_NAME"] ?? "") + (parameters["PATH_INFO"] ?? "")
        }
        var request = Request(
            method: (parameters["REQUEST_METHOD"] ?? "GET").uppercased(),
            path: path,
            queryString: parameters["QUERY_STRING"] ?? "",
            headers: headers,
            body: body,
            remoteAddress: parameters["REMOTE_ADDR"] ?? ""
        )
        request.bodyExceedsLimit = bodyExceedsLimit
        return request
    }

    /// The parameters `request(parameters:...)` reads: a transport may skip copying the others.
    static let parameterNames: [[UInt8]] = ["CONTENT_TYPE", "CONTENT_LENGTH", "DOCUMENT_URI", "SCRIPT_NAME", "PATH_INFO",
                                            "REQUEST_METHOD", "QUERY_STRING", "REMOTE_ADDR"].map { Array($0.utf8) }

    static func reads(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        name.starts(with: "HTTP_".utf8) || parameterNames.contains { $0.elementsEqual(name) }
    }

    /// `X_FORWARDED_FOR` → `X-Forwarded-For`.
    /// On bytes, for every header of every request: CGI names are ASCII (nginx builds them from
    /// the header name, upper-cased, `-` as `_`); other bytes are copied unchanged.
    static func headerName(fromCGI name: String) -> String {
        var bytes = Array(name.utf8)
        var startOfWord = true
        for i in bytes.indices {
            let byte = bytes[i]
            if byte == UInt8(ascii: "_") {
                bytes[i] = UInt8(ascii: "-")
                startOfWord = true
                continue
            }
            if startOfWord {
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { bytes[i] = byte - 0x20 }
            } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                bytes[i] = byte + 0x20
            }
            startOfWord = false
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
