import Web

/// Turns CGI/FastCGI parameters (the same names in both) into a `Request`.
///
/// The route comes from `DOCUMENT_URI`, else `SCRIPT_NAME` + `PATH_INFO` — never from
/// `REQUEST_URI`, which inside an nginx `auth_request` subrequest is the original request's URI.
enum CGIEnvironment {
    static func request(parameters: [String: String], body: [UInt8], bodyExceedsLimit: Bool) -> Request {
        var headers = HTTPHeaders()
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("HTTP_") {
                headers.add(name: headerName(fromCGI: String(name.dropFirst(5))), value: value)
            }
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
        // libfcgi adds FCGI_ROLE from the BEGIN_REQUEST record; the client cannot set it.
        request.isAuthorizerRole = parameters["FCGI_ROLE"] == "AUTHORIZER"
        return request
    }

    /// `X_FORWARDED_FOR` → `X-Forwarded-For`.
    static func headerName(fromCGI name: String) -> String {
        name.split(separator: "_", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
            .joined(separator: "-")
    }
}
