import Testing
@testable import Crypto

/// RFC 4231 §4 (test case 5, truncated output, does not apply to a full-length MAC).
struct HMACTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let sha256: String
        let sha512: String
        var testDescription: String { name }
    }

    static let rfc4231: [Vector] = [
        Vector(name: "test case 1", key: repeated(0x0b, 20), data: bytes("Hi There"),
               sha256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
               sha512: "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                   + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        Vector(name: "test case 2", key: bytes("Jefe"), data: bytes("what do ya want for nothing?"),
               sha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
               sha512: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                   + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
        Vector(name: "test case 3", key: repeated(0xaa, 20), data: repeated(0xdd, 50),
               sha256: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
               sha512: "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
                   + "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
        Vector(name: "test case 4", key: Array(1...25), data: repeated(0xcd, 50),
               sha256: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
               sha512: "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
                   + "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
        Vector(name: "test case 6", key: repeated(0xaa, 131),
               data: bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
               sha256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
               sha512: "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                   + "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
        Vector(name: "test case 7", key: repeated(0xaa, 131),
               data: bytes("This is a test using a larger than block-size key and a larger than block-size data."
                   + " The key needs to be hashed before being used by the HMAC algorithm."),
               sha256: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
               sha512: "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
                   + "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
    ]

    @Test(arguments: rfc4231)
    func hmacSHA256MatchesRFC4231(_ vector: Vector) {
        #expect(Hex.encode(HMAC.sha256(vector.data, key: vector.key)) == vector.sha256)
        #expect(Hex.encode(HMAC.authenticate(vector.data, key: vector.key, using: .sha256)) == vector.sha256)
    }

    @Test(arguments: rfc4231)
    func hmacSHA512MatchesRFC4231(_ vector: Vector) {
        #expect(Hex.encode(HMAC.sha512(vector.data, key: vector.key)) == vector.sha512)
    }

    @Test func emptyKeyAndMessageAreAllowed() {
        // HMAC-SHA256("", "") from any reference implementation.
        #expect(Hex.encode(HMAC.sha256([], key: []))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    /// The thread's cache of keyed contexts holds four: cycling through the RFC 4231 keys (two of
    /// them 131 bytes, too long to cache) with both digests, three times over, evicts and re-keys
    /// contexts and must never answer with another key's or digest's MAC.
    @Test func keyedContextsAreReusedAndEvictedWithoutMixingKeys() {
        for _ in 0..<3 {
            for vector in Self.rfc4231 {
                #expect(Hex.encode(HMAC.sha256(vector.data, key: vector.key)) == vector.sha256)
                #expect(Hex.encode(HMAC.sha512(vector.data, key: vector.key)) == vector.sha512)
            }
        }
    }
}
