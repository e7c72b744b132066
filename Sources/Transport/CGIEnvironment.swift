import Web

/// Turns CGI/FastCGI parameters (the same names in both) into a `Request`.
///
/// The route comes from `DOCUMENT_URI`, else `SCRIPT_NAME` + `PATH_INFO` — never from
/// `REQUEST_URI`, which inside an nginx `auth_request` subrequest is the original request's URI.
enum CGIEnvironment {
    typealias Field = (name: String, value: String)

    /// From a dictionary (plain CGI's environment): headers in name order, as a dictionary has none.
    static func request(parameters: [String: String], body: [UInt8], bodyExceedsLimit: Bool) -> Request {
        request(fields: parameters.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) },
                body: body, bodyExceedsLimit: bodyExceedsLimit)
    }

    /// From parameters in the order the web server sent them (FastCGI): one pass, no dictionary,
    /// headers in the request's order. A repeated parameter: the last one counts.
    static func request(fields: [Field], body: [UInt8], bodyExceedsLimit: Bool) -> Request {
        var headers = HTTPHeaders()
        var contentType = "", contentLength = "", documentURI = "", scriptName = "", pathInfo = ""
        var method = "GET", queryString = "", remoteAddress = "", role = ""
        for (name, value) in fields {
            if name.utf8.starts(with: "HTTP_".utf8) {
                headers.add(name: headerName(fromCGI: String(name.dropFirst(5))), value: value)
                continue
            }
            switch name {
            case "CONTENT_TYPE": contentType = value
            case "CONTENT_LENGTH": contentLength = value
            case "DOCUMENT_URI": documentURI = value
            case "SCRIPT_NAME": scriptName = value
            case "PATH_INFO": pathInfo = value
            case "REQUEST_METHOD": method = value
            case "QUERY_STRING": queryString = value
            case "REMOTE_ADDR": remoteAddress = value
            case "FCGI_ROLE": role = value
            default: break
            }
        }
        if !contentType.isEmpty { headers.set(name: "Content-Type", value: contentType) }
        if !contentLength.isEmpty { headers.set(name: "Content-Length", value: contentLength) }

        var request = Request(
            method: method.uppercased(),
            path: documentURI.isEmpty ? scriptName + pathInfo : documentURI,
            queryString: queryString,
            headers: headers,
            body: body,
            remoteAddress: remoteAddress
        )
        request.bodyExceedsLimit = bodyExceedsLimit
        // libfcgi adds FCGI_ROLE from the BEGIN_REQUEST record; the client cannot set it.
        request.isAuthorizerRole = role == "AUTHORIZER"
        return request
    }

    /// The parameters `request(fields:...)` reads: a transport may skip copying the others.
    static let parameterNames: [[UInt8]] = ["CONTENT_TYPE", "CONTENT_LENGTH", "DOCUMENT_URI", "SCRIPT_NAME", "PATH_INFO",
                                            "REQUEST_METHOD", "QUERY_STRING", "REMOTE_ADDR", "FCGI_ROLE"].map { Array($0.utf8) }

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
