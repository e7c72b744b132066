import Testing
@testable import Transport

/// `server.listen`: `unix:PATH` or `HOST:PORT`, and which of them only this machine can reach.
@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("unix:/run/countersign/countersign.sock", ListenAddress.unix(path: "/run/countersign/countersign.sock")),
        ("unix:countersign.sock", .unix(path: "countersign.sock")),
        ("127.0.0.1:9000", .tcp(host: "127.0.0.1", port: 9000)),
        ("localhost:9000", .tcp(host: "localhost", port: 9000)),
        ("[::1]:9000", .tcp(host: "::1", port: 9000)),
        ("0.0.0.0:0", .tcp(host: "0.0.0.0", port: 0)),
        ("example.com:65535", .tcp(host: "example.com", port: 65535)),
    ])
    func parses(_ text: String, _ address: ListenAddress) {
        #expect(ListenAddress.parse(text) == address)
    }

    @Test func aRelativeUnixPathIsResolved() {
        #expect(ListenAddress.parse("unix:countersign.sock", resolve: { "/etc/countersign/" + $0 }) == .unix(path: "/etc/countersign/countersign.sock"))
        #expect(ListenAddress.parse("127.0.0.1:9000", resolve: { _ in "/wrong" }) == .tcp(host: "127.0.0.1", port: 9000))
    }

    @Test(arguments: [
        "", "unix:", "9000", "localhost", "localhost:", "localhost:http", ":9000", "[]:9000", "[::1]",
        "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:9000 ", "127.0.0.1: 9000", "127.0.0.1:90.0",
    ])
    func refusesGarbage(_ text: String) {
        #expect(ListenAddress.parse(text) == nil)
    }

    @Test(arguments: ["unix:/tmp/x.sock", "127.0.0.1:9000", "127.1.2.3:9000", "127.255.255.255:1", "[::1]:9000", "localhost:9000"])
    func onlyThisMachineCanReach(_ text: String) throws {
        #expect(try #require(ListenAddress.parse(text)).isLocal)
    }

    @Test(arguments: [
        "0.0.0.0:9000", "10.0.0.5:9000", "192.168.1.1:9000", "128.0.0.1:9000", "example.com:9000", "[::]:9000",
        "[2001:db8::1]:9000", "127.0.0.1.nip.io:9000", "127.0.0:9000", "127.0.0.256:9000", "127.0.0.x:9000", "localhost.example.com:9000",
    ])
    func otherMachinesCanReach(_ text: String) throws {
        #expect(try !#require(ListenAddress.parse(text)).isLocal)
    }

    @Test(arguments: ["unix:/run/x.sock", "127.0.0.1:9000", "[::1]:9000", "example.com:80"])
    func descriptionIsTheConfigSyntax(_ text: String) throws {
        let address = try #require(ListenAddress.parse(text))
        #expect(address.description == text)
        #expect(ListenAddress.parse(address.description) == address)
    }
}
