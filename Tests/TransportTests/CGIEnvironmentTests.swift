import Testing
import Web
@testable import Transport

/// CGI/FastCGI parameters → `Request`: route from `DOCUMENT_URI` (else `SCRIPT_NAME` +
/// `PATH_INFO`), never from `REQUEST_URI`.
@Suite struct CGIEnvironmentTests {
    static func request(_ parameters: [String: String], body: [UInt8] = [], tooLarge: Bool = false) -> Request {
        CGIEnvironment.request(parameters: parameters, body: body, bodyExceedsLimit: tooLarge)
    }

    @Test func documentURIWinsOverScriptNameAndRequestURI() {
        let request = Self.request([
            "DOCUMENT_URI": "/Account/Auth",
            "SCRIPT_NAME": "/index.php",
            "PATH_INFO": "/other",
            "REQUEST_URI": "/private/report.pdf?x=1",
        ])
        #expect(request.path == "/Account/Auth")
    }

    @Test func withoutDocumentURIScriptNameAndPathInfoAreJoined() {
        let parameters = ["SCRIPT_NAME": "/Account", "PATH_INFO": "/Login", "REQUEST_URI": "/elsewhere"]
        #expect(Self.request(parameters).path == "/Account/Login")
        #expect(Self.request(parameters.merging(["DOCUMENT_URI": ""]) { $1 }).path == "/Account/Login")
        #expect(Self.request(["SCRIPT_NAME": "/Account/Login"]).path == "/Account/Login")
        #expect(Self.request(["PATH_INFO": "/Account/Login"]).path == "/Account/Login")
    }

    @Test func requestURIIsNeverTheRoute() {
        #expect(Self.request(["REQUEST_URI": "/Account/Manage"]).path == "")
    }

    @Test func httpParametersBecomeHeadersWithTheirUsualSpelling() {
        let request = Self.request([
            "HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.0.0.1",
            "HTTP_COOKIE": "a=1; b=2",
            "HTTP_USER_AGENT": "test/1.0",
            "HTTP_HOST": "example.com",
            "SERVER_NAME": "not a header",
            "REMOTE_ADDR": "127.0.0.1",
        ])
        let names = Set(request.headers.map(\.name))
        #expect(names == ["X-Forwarded-For", "Cookie", "User-Agent", "Host"])
        #expect(request.header("x-forwarded-for") == "203.0.113.7, 10.0.0.1")
        #expect(request.cookies == ["a": "1", "b": "2"])
        #expect(request.remoteAddress == "127.0.0.1")
    }

    @Test(arguments: [("X_FORWARDED_FOR", "X-Forwarded-For"), ("COOKIE", "Cookie"), ("USER_AGENT", "User-Agent"), ("ORIGIN", "Origin"), ("X_REQUESTED_WITH", "X-Requested-With")])
    func cgiNamesToHeaderNames(_ cgi: String, _ header: String) {
        #expect(CGIEnvironment.headerName(fromCGI: cgi) == header)
    }

    @Test func contentTypeAndLengthComeFromTheirOwnParameters() {
        let request = Self.request([
            "REQUEST_METHOD": "POST",
            "CONTENT_TYPE": "application/x-www-form-urlencoded; charset=UTF-8",
            "CONTENT_LENGTH": "7",
        ], body: Array("Email=x".utf8))
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded; charset=UTF-8")
        #expect(request.header("Content-Length") == "7")
        #expect(request.contentType == "application/x-www-form-urlencoded")
        #expect(request.body == Array("Email=x".utf8))
        #expect(request.headers.count == 2)
    }

    @Test func emptyContentTypeAndLengthAreNoHeaders() {
        let request = Self.request(["CONTENT_TYPE": "", "CONTENT_LENGTH": ""])
        #expect(request.headers.count == 0)
        #expect(request.contentType == nil)
    }

    @Test(arguments: [("get", "GET"), ("Post", "POST"), ("HEAD", "HEAD"), ("delete", "DELETE")])
    func methodIsUpperCased(_ given: String, _ method: String) {
        #expect(Self.request(["REQUEST_METHOD": given]).method == method)
    }

    @Test func missingMethodIsGET() {
        #expect(Self.request([:]).method == "GET")
    }

    @Test func queryStringAndLimitFlagPassThrough() {
        let request = Self.request(["QUERY_STRING": "UserId=1&Token=abc", "DOCUMENT_URI": "/Account/ConfirmEmail"], tooLarge: true)
        #expect(request.queryString == "UserId=1&Token=abc")
        #expect(request.bodyExceedsLimit)
        #expect(!Self.request([:]).bodyExceedsLimit)
    }

    @Test(arguments: [("12", 12 as Int?), ("0", 0), ("", nil), ("-1", nil), ("abc", nil), ("12abc", nil), ("99999999999999999999", nil)])
    func declaredContentLength(_ text: String, _ length: Int?) {
        #expect(RequestBodyReader.declaredLength(["CONTENT_LENGTH": text]) == length)
    }

    @Test func absentContentLengthIsNil() {
        #expect(RequestBodyReader.declaredLength([:]) == nil)
    }
}
