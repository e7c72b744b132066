import SQLiteStorage
import Config
import Crypto
import Foundation
import Testing
import Timekeeping
import Web
@testable import Countersign

/// The app in-process: a real config, real SQLite in a temp folder, the shipped templates, a
/// manual clock, and a browser-like cookie jar. Requests go straight to `Application.respond`.
final class TestApp {
    static let secret = "test-secret-0123456789abcdef-0123456789abcdef"
    static let password = "plinth-Orchid-47-quasar"
    static let remoteAddress = "203.0.113.9"

    /// `www/templates` of this checkout, found from this file's place in `Tests/CountersignTests`.
    static let shippedTemplates: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("www/templates").path

    let folder: String
    let clock = ManualClock()
    let services: Services
    let app: Application
    /// What a browser would send back: name → value.
    var cookies: [String: String] = [:]
    private let logLines: LogLines
    /// The lines the app logged, in order (instead of stderr).
    var logged: [String] { logLines.lines }

    /// `extra` is appended to the minimal valid config (sections may repeat, keys may not).
    init(extra: String = "", templates: String? = nil, random: RandomSource = SecureRandom()) throws {
        folder = NSTemporaryDirectory() + "countersign-app-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = """
        [server]
        base_url = https://example.com
        [cookies]
        secret = \(Self.secret)
        secure = false
        [storage]
        path = countersign.db
        [email]
        provider = file
        path = outbox.jsonl
        [passwords]
        argon2_memory = 64
        argon2_iterations = 1
        \(templates.map { "[templates]\ndir = \($0)" } ?? "")
        \(extra)
        """
        let config = Config(text: text, file: folder + "/countersign.conf", environment: [:])
        let log = LogLines()
        services = try Services.load(config: config, shippedTemplates: Self.shippedTemplates, clock: clock, random: random, log: Log(output: log.append))
        logLines = log
        try services.storage.migrate()
        app = Application(services: services)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: Requests

    /// Sends a request with the jar's cookies and keeps the cookies the answer sets.
    @discardableResult
    func send(_ method: String, _ path: String, query: String = "", body: [UInt8] = [], headers: [(String, String)] = [],
              bodyExceedsLimit: Bool = false, useCookies: Bool = true) -> Response {
        var fields = HTTPHeaders()
        if useCookies && !cookies.isEmpty {
            fields.add(name: "Cookie", value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        for (name, value) in headers { fields.add(name: name, value: value) }
        var request = Request(method: method, path: path, queryString: query, headers: fields, body: body, remoteAddress: Self.remoteAddress)
        request.bodyExceedsLimit = bodyExceedsLimit
        let response = app.respond(to: request)
        if useCookies { keepCookies(response) }
        return response
    }

    @discardableResult
    func get(_ path: String, query: String = "") -> Response {
        send("GET", path, query: query)
    }

    /// A form post; `token: .fromPage` first GETs `formPage` (default: `path`) for a fresh token.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], token: Token = .fromPage, formPage: String? = nil, headers: [(String, String)] = []) throws -> Response {
        var fields = fields
        switch token {
        case .fromPage:
            fields.append(("__RequestVerificationToken", try antiforgeryToken(on: formPage ?? path)))
        case .given(let value):
            fields.append(("__RequestVerificationToken", value))
        case .none:
            break
        }
        return send("POST", path, body: Array(Self.formEncode(fields).utf8),
                    headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers)
    }

    enum Token {
        case fromPage
        case given(String)
        case none
    }

    /// GETs `page` and reads the hidden antiforgery field of its first form.
    func antiforgeryToken(on page: String) throws -> String {
        let response = get(page)
        try #require(response.status == 200, "GET \(page) answered \(response.status)")
        return try #require(Self.antiforgeryToken(in: response))
    }

    static func antiforgeryToken(in response: Response) -> String? {
        let html = response.text
        guard let field = html.range(of: "name=\"__RequestVerificationToken\" value=\"") else { return nil }
        let rest = html[field.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    func keepCookies(_ response: Response) {
        for header in response.headerValues("Set-Cookie") {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if parts.contains("Max-Age=0") || value.isEmpty {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
    }

    static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    // MARK: Accounts

    static func registration(email: String, password: String = TestApp.password) -> [(String, String)] {
        [("FirstName", "Ada"), ("LastName", "Lovelace"), ("Email", email), ("PhoneNumber", "+12015550123"),
         ("Password", password), ("ConfirmPassword", password)]
    }

    /// Registers through the form and returns the confirmation link from the outbox.
    @discardableResult
    func register(email: String = "ada@example.com") throws -> (path: String, query: String) {
        let response = try post("/Account/Register", Self.registration(email: email))
        try #require(response.status == 303, "registration answered \(response.status): \(response.text)")
        #expect(response.header("Location") == "/Account/RegistrationSuccessful")
        return try confirmationLink(to: email)
    }

    /// The link in the newest confirmation email to `address`, as path and query.
    func confirmationLink(to address: String) throws -> (path: String, query: String) {
        let mail = try #require(emails().last { $0["to"] as? String == address }, "no email to \(address)")
        let text = try #require(mail["text"] as? String)
        let start = try #require(text.range(of: "https://example.com/Account/ConfirmEmail?"))
        let link = text[start.lowerBound...].prefix { !$0.isWhitespace }
        let url = try #require(URLComponents(string: String(link)))
        return (url.path, url.percentEncodedQuery ?? "")
    }

    /// Registers, confirms and signs in.
    func signedInUser(email: String = "ada@example.com", rememberMe: Bool = false) throws {
        let link = try register(email: email)
        try #require(get(link.path, query: link.query).status == 200)
        let response = try logIn(email: email, rememberMe: rememberMe)
        try #require(response.status == 303, "sign-in answered \(response.status)")
    }

    @discardableResult
    func logIn(email: String = "ada@example.com", password: String = TestApp.password, rememberMe: Bool = false, returnURL: String? = nil) throws -> Response {
        var fields = [("Email", email), ("Password", password)]
        if rememberMe { fields.append(("RememberMe", "true")) }
        fields.append(("RememberMe", "false"))
        if let returnURL { fields.append(("ReturnUrl", returnURL)) }
        return try post("/Account/Login", fields)
    }

    /// Every message the `file` email provider wrote.
    func emails() throws -> [[String: Any]] {
        let path = folder + "/outbox.jsonl"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
}

/// Predictable "random" bytes: each call returns a new run of one repeated byte.
final class CountingRandom: RandomSource {
    private var calls: UInt8 = 0

    func bytes(_ count: Int) -> [UInt8] {
        calls &+= 1
        return Array(repeating: calls, count: count)
    }
}

/// A log output a test can read back.
final class LogLines {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}

extension Response {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// The value of `ReturnUrl` in a redirect to the sign-in page.
func returnURL(inLoginRedirect location: String?) -> String? {
    guard let location, location.hasPrefix("/Account/Login?ReturnUrl=") else { return nil }
    return String(location.dropFirst("/Account/Login?ReturnUrl=".count)).removingPercentEncoding
}

extension TestApp {
    /// The SQLite connection under the app's storage (behind the metrics wrapper), for tests
    /// that look at what is stored.
    var sqliteConnection: SQLiteConnection {
        let metered = services.storage as! MeteredStorage
        return (metered.backend as! SQLiteStorage).connection
    }
}
