import Testing
@testable import Crypto

/// FIPS 180 examples ("abc") and the empty message.
struct DigestTests {
    @Test func sha1OfABC() {
        #expect(Hex.encode(Digest.sha1(bytes("abc"))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func sha256OfABCAndEmpty() {
        #expect(Hex.encode(Digest.sha256(bytes("abc")))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(Digest.sha256([]))
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func sha512OfABC() {
        #expect(Hex.encode(Digest.sha512(bytes("abc")))
            == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }
}
