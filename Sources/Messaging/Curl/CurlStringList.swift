internal import CCurl

/// Owns a `curl_slist` (header lines, SMTP recipients); freed once, in `deinit`.
final class CurlStringList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ items: [String]) throws(CurlError) {
        for item in items {
            guard let appended = item.withCString({ curl_slist_append(pointer, $0) }) else {
                throw CurlError(code: nil, message: "curl_slist_append failed (out of memory?)")
            }
            pointer = appended
        }
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}
