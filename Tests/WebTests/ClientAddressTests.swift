import Testing
@testable import Web

@Suite struct CIDRTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1/32"),
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("::1", "::1/128"),
        ("fd00::/8", "fd00::/8"),
        ("2001:DB8::/32", "2001:db8::/32"),
        ("::ffff:10.0.0.0/104", "10.0.0.0/8"),
        (" 192.168.1.0/24 ", "192.168.1.0/24"),
    ])
    func parses(text: String, canonical: String) throws {
        #expect(try CIDR(text).description == canonical)
    }

    @Test(arguments: [
        ("", "\"\" is not an IPv4 or IPv6 address"),
        ("localhost", "\"localhost\" is not an IPv4 or IPv6 address"),
        ("10.0.0", "\"10.0.0\" is not an IPv4 or IPv6 address"),
        ("256.0.0.1", "\"256.0.0.1\" is not an IPv4 or IPv6 address"),
        ("10.0.0.0/33", "\"33\" is not a prefix length from 0 to 32"),
        ("10.0.0.0/", "\"\" is not a prefix length from 0 to 32"),
        ("10.0.0.0/-1", "\"-1\" is not a prefix length from 0 to 32"),
        ("10.0.0.0/8/8", "\"8/8\" is not a prefix length from 0 to 32"),
        ("::/129", "\"129\" is not a prefix length from 0 to 128"),
        ("10.0.0.1/8", "host bits are set; the range is 10.0.0.0/8"),
        ("fd00::1/8", "host bits are set; the range is fd00::/8"),
        ("::ffff:10.0.0.0/64", "an IPv4-mapped range needs a prefix length of at least 96"),
        ("1.2.3.4\u{0}", "\"1.2.3.4\u{0}\" is not an IPv4 or IPv6 address"),
    ])
    func refusesWithAMessage(text: String, message: String) {
        #expect(throws: CIDRError(text: text, message: message)) { try CIDR(text) }
    }

    @Test func contains() throws {
        let v4 = try CIDR("10.0.0.0/8")
        #expect(v4.contains("10.255.1.2"))
        #expect(v4.contains("::ffff:10.1.1.1"))
        #expect(!v4.contains("11.0.0.0"))
        #expect(!v4.contains("::1"))
        #expect(!v4.contains("garbage"))
        let odd = try CIDR("192.168.0.0/23")
        #expect(odd.contains("192.168.1.255"))
        #expect(!odd.contains("192.168.2.0"))
        let v6 = try CIDR("fd00::/8")
        #expect(v6.contains("fdab::1"))
        #expect(!v6.contains("fe80::1"))
        #expect(!v6.contains("10.0.0.1"))
        #expect(try CIDR("0.0.0.0/0").contains("8.8.8.8"))
    }
}

@Suite struct ClientAddressTests {
    @Test(arguments: [
        // Untrusted peer: X-Forwarded-For is ignored.
        ("203.0.113.9", "1.2.3.4", ["127.0.0.1"], "203.0.113.9"),
        ("203.0.113.9", nil, ["127.0.0.1"], "203.0.113.9"),
        // Trusted peer: the right-most address not itself trusted.
        ("127.0.0.1", "198.51.100.7", ["127.0.0.1"], "198.51.100.7"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", ["127.0.0.1"], "198.51.100.7"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", ["127.0.0.1", "10.0.0.0/8"], "198.51.100.7"),
        ("10.1.1.1", "198.51.100.7,10.0.0.2,10.0.0.3", ["10.0.0.0/8"], "198.51.100.7"),
        // Trusted peer without the header: the peer.
        ("127.0.0.1", nil, ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
        // Every hop trusted: the left-most.
        ("127.0.0.1", "10.0.0.5, 10.0.0.6", ["127.0.0.1", "10.0.0.0/8"], "10.0.0.5"),
        // A malformed entry stops the walk at the last address we could vouch for.
        ("127.0.0.1", "198.51.100.7, garbage, 10.0.0.2", ["127.0.0.1", "10.0.0.0/8"], "10.0.0.2"),
        ("127.0.0.1", "198.51.100.7:1234", ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", "unknown", ["127.0.0.1"], "127.0.0.1"),
        // IPv6 and canonical spelling.
        ("::1", "2001:DB8:0:0::1", ["::1"], "2001:db8::1"),
        ("::ffff:127.0.0.1", "198.51.100.7", ["127.0.0.0/8"], "198.51.100.7"),
        ("::ffff:203.0.113.9", nil, [], "203.0.113.9"),
        // Not an address at all (a unix-socket peer): as given.
        ("", "198.51.100.7", ["127.0.0.1"], ""),
        ("unix:", nil, [], "unix:"),
    ] as [(String, String?, [String], String)])
    func resolves(remote: String, forwardedFor: String?, trusted: [String], expected: String) throws {
        let proxies = try trusted.map { try CIDR($0) }
        #expect(ClientAddress.resolve(remoteAddress: remote, forwardedFor: forwardedFor, trustedProxies: proxies) == expected)
    }
}

@Suite struct SecurityHeadersTests {
    @Test func everyHeaderIsSetAndReplacesTheHandlers() {
        var response = Response.html("<p>x</p>")
        response.addHeader("Cache-Control", "public, max-age=60")
        response.addHeader("Set-Cookie", "a=1")
        SecurityHeaders.apply(to: &response)
        #expect(response.header("Content-Security-Policy") ==
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.header("Referrer-Policy") == "same-origin")
        #expect(response.header("X-Frame-Options") == "DENY")
        #expect(response.headerValues("Cache-Control") == ["no-store"])
        #expect(response.header("Set-Cookie") == "a=1")
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
    }
}

@Suite struct HTMLEscapingTests {
    @Test(arguments: [("", ""), ("plain é", "plain é"), ("&<>\"'", "&amp;&lt;&gt;&quot;&#39;"), ("&amp;", "&amp;amp;")])
    func escapes(input: String, expected: String) {
        #expect(HTMLEscaping.escape(input) == expected)
    }
}
