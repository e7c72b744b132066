import Testing
import Web
@testable import Transport

/// `Response` → the CGI response bytes (`Status:` line, headers, blank line, body).
@Suite struct CGIResponseEncoderTests {
    static func text(_ response: Response, includeBody: Bool = true) -> String {
        String(decoding: CGIResponseEncoder.encode(response, includeBody: includeBody), as: UTF8.self)
    }

    @Test func statusLineHeadersBlankLineBody() {
        let response = Response(status: 422, headers: [("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], body: Array("<p>hi</p>".utf8))
        #expect(Self.text(response) == "Status: 422 Unprocessable Content\r\nContent-Type: text/html; charset=utf-8\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n<p>hi</p>")
    }

    @Test(arguments: [(200, "OK"), (303, "See Other"), (404, "Not Found"), (405, "Method Not Allowed"), (413, "Content Too Large"),
                      (415, "Unsupported Media Type"), (429, "Too Many Requests"), (500, "Internal Server Error"), (299, "Success"), (599, "Server Error")])
    func statusLineHasTheReasonPhrase(_ status: Int, _ reason: String) {
        #expect(Self.text(Response(status: status)) == "Status: \(status) \(reason)\r\n\r\n")
    }

    @Test func headHasNoBody() {
        let response = Response(status: 200, headers: [("Content-Type", "text/plain")], body: Array("body".utf8))
        #expect(Self.text(response, includeBody: false) == "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n")
    }

    /// The head of an encoded response, split into its lines; nil when there is no blank line.
    static func headLines(_ response: Response) -> [String]? {
        let bytes = CGIResponseEncoder.encode(response, includeBody: false)
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count >= 4, text.utf8.suffix(4).elementsEqual("\r\n\r\n".utf8) else { return nil }
        let head = Array(bytes.dropLast(4))
        // Split on raw bytes: any CR or LF left inside a line would be a way to split the response.
        var lines: [[UInt8]] = [[]]
        var index = 0
        while index < head.count {
            if head[index] == 13, index + 1 < head.count, head[index + 1] == 10 {
                lines.append([])
                index += 2
            } else {
                lines[lines.count - 1].append(head[index])
                index += 1
            }
        }
        return lines.map { String(decoding: $0, as: UTF8.self) }
    }

    static func assertCannotSplit(_ value: String) {
        let response = Response(status: 303, headers: [("Location", value), ("Cache-Control", "no-store")])
        guard let lines = headLines(response) else {
            Issue.record("no blank line at the end of the head")
            return
        }
        #expect(lines.count == 3, "one status line and exactly two header lines")
        for line in lines {
            #expect(!line.utf8.contains(13) && !line.utf8.contains(10), "a CR or LF survived inside \(line.debugDescription)")
        }
        #expect(!lines.contains { $0.hasPrefix("Set-Cookie") })
        #expect(lines.last == "Cache-Control: no-store")
    }

    @Test(arguments: [
        "/Account/Login\nSet-Cookie: evil=1",
        "/Account/Login\rSet-Cookie: evil=1",
        "/Account/Login\n\rSet-Cookie: evil=1",
        "/Account/Login\n\n<script>x</script>",
    ])
    func aLoneCROrLFInAHeaderValueCannotSplitTheResponse(_ value: String) {
        Self.assertCannotSplit(value)
    }

    @Test(arguments: [
        "/Account/Login\r\nSet-Cookie: evil=1",
        "/Account/Login\r\n\r\n<script>x</script>",
    ])
    func aCRLFPairInAHeaderValueCannotSplitTheResponse(_ value: String) {
        Self.assertCannotSplit(value)
    }
}
