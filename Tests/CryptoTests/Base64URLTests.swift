import Testing
@testable import Crypto

struct Base64URLTests {
    /// RFC 4648 §10 without padding, plus the two characters that differ from standard Base64.
    static let vectors: [(input: [UInt8], encoded: String)] = [
        ([], ""), (bytes("f"), "Zg"), (bytes("fo"), "Zm8"), (bytes("foo"), "Zm9v"), (bytes("foob"), "Zm9vYg"),
        (bytes("fooba"), "Zm9vYmE"), (bytes("foobar"), "Zm9vYmFy"),
        ([0xfb, 0xff], "-_8"), ([0xff, 0xff, 0xfe], "___-"),
    ]

    @Test(arguments: vectors)
    func encodesAndDecodesPublishedValues(input: [UInt8], encoded: String) {
        #expect(Base64URL.encode(input) == encoded)
        #expect(Base64URL.decode(encoded) == input)
    }

    @Test func roundTripsEveryLengthAndByte() {
        let all = [UInt8](0...255)
        for length in 0...70 {
            let input = Array(all.shuffled().prefix(length))
            let encoded = Base64URL.encode(input)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == input)
        }
        #expect(Base64URL.decode(Base64URL.encode(all)) == all)
    }

    @Test(arguments: [
        "Zg==", "Zm8=", "=", "Z", "Zm9vY",  // padding, impossible lengths
        "Zh", "Zm9", "-_9", "ZmB",  // non-zero bits after the last byte
        "+_8", "-/8", "Zm+v", "Zm/v", "Zm9v\n", " Zm9v", "Zm9v ", "Zm 9v", "Zm9v.", "Zm9vé", "Zm9v\0",  // not in the alphabet
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func phcStringsUseTheStandardAlphabetWithoutPadding() {
        #expect(UnpaddedBase64.encode([0xfb, 0xff], alphabet: .standard) == "+/8")
        #expect(UnpaddedBase64.decode("+/8", alphabet: .standard) == [0xfb, 0xff])
        #expect(UnpaddedBase64.decode("-_8", alphabet: .standard) == nil)
        #expect(UnpaddedBase64.decode("+/8=", alphabet: .standard) == nil)
    }
}
