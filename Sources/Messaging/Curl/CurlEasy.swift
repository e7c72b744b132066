internal import CCurl

/// Owns one libcurl easy handle: `curl_easy_init` in `init`, `curl_easy_cleanup` in `deinit`.
///
/// A handle is reused from one transfer to the next (`reset()` between them) so that libcurl can
/// keep a connection to the provider open. Everything libcurl only points at during a transfer —
/// header lists, callback buffers — is retained here until the next `reset()`, so no caller has to
/// think about lifetimes.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// Objects libcurl holds raw pointers to while a transfer runs.
    private var retained: [AnyObject] = []

    init() throws(CurlError) {
        try CurlGlobal.initialise()
        guard let handle = curl_easy_init() else {
            throw CurlError(code: nil, message: "curl_easy_init failed (out of memory?)")
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Forgets every option of the previous transfer but keeps open connections and caches.
    func reset() {
        curl_easy_reset(handle)
        retained.removeAll()
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check(countersign_curl_set_long(handle, option, value))
    }

    func set(_ option: CURLoption, _ value: Bool) throws(CurlError) {
        try set(option, value ? 1 : 0)
    }

    /// libcurl copies string options (since 7.17), so the Swift string may go away afterwards.
    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        try check(value.withCString { countersign_curl_set_string(handle, option, $0) })
    }

    /// libcurl does not copy lists: the list is retained until the next `reset()`.
    func set(_ option: CURLoption, _ list: CurlStringList) throws(CurlError) {
        retained.append(list)
        try check(countersign_curl_set_slist(handle, option, list.pointer))
    }

    /// Sends `bytes` as the request body (libcurl keeps its own copy).
    func setRequestBody(_ bytes: [UInt8]) throws(CurlError) {
        try set(CURLOPT_POSTFIELDSIZE, bytes.count)
        // COPYPOSTFIELDS copies exactly POSTFIELDSIZE bytes; a non-null pointer is needed even for 0.
        var copy = bytes
        if copy.isEmpty { copy = [0] }
        try check(copy.withUnsafeMutableBytes { countersign_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) })
    }

    /// Collects the response body into `sink` (retained until the next `reset()`).
    func collectResponse(into sink: CurlResponseSink) throws(CurlError) {
        retained.append(sink)
        try check(countersign_curl_set_write_callback(handle, CurlResponseSink.callback))
        try check(countersign_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque()))
    }

    /// Uploads `source` through the read callback (retained until the next `reset()`).
    func upload(from source: CurlUploadSource) throws(CurlError) {
        retained.append(source)
        try set(CURLOPT_UPLOAD, true)
        try check(countersign_curl_set_read_callback(handle, CurlUploadSource.callback))
        try check(countersign_curl_set_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque()))
        try set(CURLOPT_INFILESIZE, source.count)
    }

    /// Connect and total timeouts. libcurl reads 0 as "no limit", so anything shorter than 1 ms
    /// becomes 1 ms rather than forever.
    func setTimeouts(connect: Duration, total: Duration) throws(CurlError) {
        try set(CURLOPT_CONNECTTIMEOUT_MS, CurlEasy.milliseconds(connect))
        try set(CURLOPT_TIMEOUT_MS, CurlEasy.milliseconds(total))
        // Without this libcurl uses SIGALRM for DNS timeouts, which is unsafe with threads and
        // would interfere with the worker's own signal handling.
        try set(CURLOPT_NOSIGNAL, true)
    }

    func perform() throws(CurlError) {
        try check(curl_easy_perform(handle))
    }

    /// The last HTTP status code (or SMTP reply code) received.
    func responseCode() throws(CurlError) -> Int {
        var code = 0
        try check(countersign_curl_get_response_code(handle, &code))
        return code
    }

    private func check(_ code: CURLcode) throws(CurlError) {
        guard code != CURLE_OK else { return }
        throw CurlError(code)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return max(1, Int(ms))
    }
}

/// `curl_global_init` must run once before the first handle; since libcurl 7.84 it is thread-safe,
/// and a `static let` is initialised once, lazily, under Swift's own lock.
enum CurlGlobal {
    private static let result: CurlError? = {
        let code = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return code == CURLE_OK ? nil : CurlError(code)
    }()

    static func initialise() throws(CurlError) {
        if let result { throw result }
    }
}

/// A libcurl failure, with libcurl's own words (`curl_easy_strerror`), which never include URLs,
/// credentials or bodies.
struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The `CURLcode`, nil when the failure did not come from libcurl itself.
    let code: Int?
    let message: String

    init(code: Int?, message: String) {
        self.code = code
        self.message = message
    }

    init(_ code: CURLcode) {
        self.code = Int(code.rawValue)
        self.message = String(cString: curl_easy_strerror(code))
    }

    var isTimeout: Bool { code == Int(CURLE_OPERATION_TIMEDOUT.rawValue) }

    var description: String { message }
}
