import Testing
import Web

/// Per-client limits count an IPv4 client by its address and an IPv6 client by its /64.
@Suite struct ClientNetworkTests {
    @Test func sixtyFiveAddressesOfOneSlash64HaveOneKey() {
        let addresses = ["2001:db8:aa:bb::"] + (1...64).map { "2001:db8:aa:bb:\(String($0, radix: 16)):\($0)::\($0)" }
        #expect(addresses.count == 65)
        let keys = Set(addresses.map(ClientNetwork.limitKey(for:)))
        #expect(keys == ["2001:db8:aa:bb::/64"])
    }

    @Test(arguments: [
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("2001:DB8:0:0:1::1", "2001:db8::/64"),
        ("2001:db8:0:1::1", "2001:db8:0:1::/64"),
        ("::1", "::/64"),
        ("unix:", "unix:"),
        ("", ""),
    ])
    func keys(address: String, key: String) {
        #expect(ClientNetwork.limitKey(for: address) == key)
    }

    @Test func neighbouringNetworksAndIPv4AddressesAreApart() {
        #expect(ClientNetwork.limitKey(for: "2001:db8:0:1::1") != ClientNetwork.limitKey(for: "2001:db8:0:2::1"))
        #expect(ClientNetwork.limitKey(for: "203.0.113.9") != ClientNetwork.limitKey(for: "203.0.113.10"))
    }
}
